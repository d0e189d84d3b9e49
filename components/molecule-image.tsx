/**
 * A structure drawing from /molecules/{code}.svg (app/depictions). A plain <img>: the SVG is drawn and cached by our
 * own route at the asked size, and next/image's optimizer does not take SVG. In an <img>, an SVG can never run script.
 */
export function MoleculeImage({
  code,
  width,
  height,
  alt,
  className,
  eager = false,
}: {
  code: string;
  width: number;
  height: number;
  alt: string;
  className?: string;
  eager?: boolean;
}) {
  return (
    // eslint-disable-next-line @next/next/no-img-element -- see above
    <img
      src={`/molecules/${encodeURIComponent(code)}.svg?w=${width}&h=${height}`}
      width={width}
      height={height}
      alt={alt}
      className={className ?? "structure"}
      loading={eager ? "eager" : "lazy"}
      decoding="async"
    />
  );
}
