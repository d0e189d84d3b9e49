"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useId, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from "react";
import { isJcamp, type SpectrumView } from "@/lib/spectra/model";
import { axisTitle, formatPeak, formatTick, niceTicks, peakDecimals, pickPeakLabels } from "@/lib/spectra/plot";

/**
 * JCAMP-DX spectra attached to an entry, drawn as interactive SVG plots (issue 13). The file is parsed on the server,
 * in the sandbox, by GET {attachment path}/spectrum, which sends at most 4,000 points of a window; zooming asks for
 * the zoomed window, so a multiplet shows at the file's full resolution. Drag across the plot to zoom into an x
 * range; double-click or "Reset zoom" to see it all. NMR shifts and IR wavenumbers run high → low, as printed.
 */

export interface SpectrumAttachment {
  id: number;
  filename: string;
  contentType: string;
  /** The attachment's own address (db/queries/attachments.ts attachmentPath): /attachments/{id}/{name}. */
  path: string;
}

/** One "Show spectrum" disclosure per JCAMP-DX attachment; nothing when there is none. Usable from a server page. */
export function SpectraPanel({ attachments, captions = {} }: { attachments: readonly SpectrumAttachment[]; captions?: Readonly<Record<number, string>> }) {
  const spectra = attachments.filter((a) => isJcamp(a.contentType));
  if (spectra.length === 0) return null;
  return (
    <section className="card spectrum-panel" aria-label="Spectra">
      <strong>Spectra</strong>
      {spectra.map((a) => (
        <SpectrumDisclosure key={a.id} attachment={a} caption={captions[a.id]} />
      ))}
    </section>
  );
}

/** One spectrum behind a disclosure; a link to `#spectrum-<id>` (a product row's "spectrum") opens it. */
function SpectrumDisclosure({ attachment, caption }: { attachment: SpectrumAttachment; caption?: string }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    const follow = () => {
      if (window.location.hash === `#spectrum-${attachment.id}` && ref.current) ref.current.open = true;
    };
    follow();
    window.addEventListener("hashchange", follow);
    return () => window.removeEventListener("hashchange", follow);
  }, [attachment.id]);
  return (
    <details ref={ref} id={`spectrum-${attachment.id}`} className="spectrum-disclosure" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        Show spectrum <span className="spectrum-filename">{attachment.filename}</span>
        {caption ? <span className="meta"> · {caption}</span> : null}
      </summary>
      {/* Fetched and drawn only once opened: an entry may carry many spectra. */}
      {open ? <SpectrumPlot src={`${attachment.path}/spectrum`} download={attachment.path} filename={attachment.filename} /> : null}
    </details>
  );
}

const W = 760;
const H = 340;
const PAD = { left: 58, right: 16, top: 46, bottom: 44 };
const PLOT_W = W - PAD.left - PAD.right;
const PLOT_H = H - PAD.top - PAD.bottom;
/** Labels are drawn upright-rotated; this far apart they do not touch. */
const LABEL_GAP_PX = 13;
const MAX_LABELS = 24;

type XRange = { from: number; to: number };

/** The whole x range; sticks (a mass spectrum) get a margin, so that the first and last are not drawn on the frame. */
function fullRange(spectrum: SpectrumView): XRange {
  const { xMin, xMax } = spectrum.range;
  if (spectrum.continuous) return { from: xMin, to: xMax };
  const margin = Math.max((xMax - xMin) * 0.04, 1);
  return { from: xMin - margin, to: xMax + margin };
}

async function fetchSpectrum(src: string, zoom: XRange | null): Promise<SpectrumView> {
  const url = zoom ? `${src}?from=${zoom.from}&to=${zoom.to}` : src;
  const res = await fetch(url, { headers: { Accept: "application/json" } });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `The spectrum could not be loaded (${res.status}).`);
  }
  return (await res.json()) as SpectrumView;
}

/** The plot of one spectrum, from the JSON at `src` (see app/attachments/[id]/[name]/spectrum/route.ts). */
export function SpectrumPlot({ src, download, filename }: { src: string; download?: string; filename?: string }) {
  const [zoom, setZoom] = useState<XRange | null>(null);
  const full = useQuery({ queryKey: ["spectrum", src], queryFn: () => fetchSpectrum(src, null), staleTime: Infinity, retry: false });
  // When the whole spectrum fits in one answer, zooming needs no request.
  const complete = full.data !== undefined && full.data.points.x.length >= full.data.pointCount;
  const zoomed = useQuery({
    queryKey: ["spectrum", src, zoom?.from, zoom?.to],
    queryFn: () => fetchSpectrum(src, zoom),
    enabled: zoom !== null && full.data !== undefined && !complete,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    retry: false,
  });

  if (full.isPending) return <p className="meta spectrum-status">Reading the spectrum…</p>;
  if (full.isError) {
    return (
      <div className="spectrum-status" role="alert">
        <p className="field-error">{full.error.message}</p>
        {download ? <a href={download}>Download {filename ?? "the file"}</a> : null}
      </div>
    );
  }
  const spectrum = full.data;
  // The zoomed answer when it has come (or the last one while the next loads), else the whole one cut to the window.
  const detail = zoom !== null && zoomed.data && !complete ? zoomed.data : spectrum;
  return <Plot spectrum={spectrum} points={detail.points} zoom={zoom} onZoom={setZoom} loading={zoomed.isFetching} download={download} />;
}

interface PlotProps {
  spectrum: SpectrumView;
  points: SpectrumView["points"];
  zoom: XRange | null;
  onZoom: (zoom: XRange | null) => void;
  loading: boolean;
  download: string | undefined;
}

function Plot({ spectrum, points, zoom, onZoom, loading, download }: PlotProps) {
  // useId's characters are not all valid in url(#…): keep letters and digits.
  const uid = useId().replace(/[^A-Za-z0-9]/g, "");
  const titleId = `spectrum-${uid}-title`;
  const descId = `spectrum-${uid}-desc`;
  const clipId = `spectrum-${uid}-clip`;
  const svg = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<{ start: number; end: number } | null>(null);
  const [hoverPx, setHoverPx] = useState<number | null>(null);
  const view: XRange = zoom ?? fullRange(spectrum);
  const reversed = spectrum.x.reversed;

  const plot = useMemo(() => {
    const span = view.to - view.from || 1;
    const sx = (x: number) => PAD.left + ((reversed ? view.to - x : x - view.from) / span) * PLOT_W;
    const xAt = (px: number) => (reversed ? view.to - ((px - PAD.left) / PLOT_W) * span : view.from + ((px - PAD.left) / PLOT_W) * span);
    // The y range follows what is in view, so a zoomed multiplet fills the plot.
    let yMin = Infinity;
    let yMax = -Infinity;
    points.x.forEach((x, i) => {
      if (x < view.from || x > view.to) return;
      yMin = Math.min(yMin, points.y[i]!);
      yMax = Math.max(yMax, points.y[i]!);
    });
    if (!Number.isFinite(yMin)) [yMin, yMax] = [spectrum.range.yMin, spectrum.range.yMax];
    if (!spectrum.continuous) yMin = Math.min(0, yMin); // sticks stand on zero
    const ySpan = yMax - yMin || Math.abs(yMax) || 1;
    [yMin, yMax] = [yMin - ySpan * 0.03, yMax + ySpan * 0.05];
    const sy = (y: number) => PAD.top + ((yMax - y) / (yMax - yMin)) * PLOT_H;
    const clampY = (v: number) => Math.max(PAD.top, Math.min(PAD.top + PLOT_H, v));
    let d = "";
    points.x.forEach((x, i) => {
      const px = sx(x).toFixed(1);
      const py = clampY(sy(points.y[i]!)).toFixed(1);
      d += spectrum.continuous ? `${d ? "L" : "M"}${px},${py}` : `M${px},${clampY(sy(Math.max(0, yMin))).toFixed(1)}V${py}`;
    });
    const xTicks = niceTicks(view.from, view.to, 8);
    const yTicks = niceTicks(yMin, yMax, 5);
    return { sx, sy, xAt, d, xTicks, yTicks, yMin, yMax, clampY };
  }, [points, view.from, view.to, reversed, spectrum]);

  const labels = useMemo(() => {
    const decimals = peakDecimals(spectrum);
    const inView = spectrum.peaks.filter((p) => p.x >= view.from && p.x <= view.to);
    const placed = inView.map((peak) => {
      const y = peakY(peak.x, peak.y);
      return { peak, px: plot.sx(peak.x), y, prominence: spectrum.y.peaksDown ? plot.yMax - y : y - plot.yMin };
    });
    return { all: inView, shown: pickPeakLabels(placed, LABEL_GAP_PX, MAX_LABELS), decimals };

    // The curve's own top (or bottom) near the peak: a peak table's intensities may be on another scale.
    function peakY(x: number, fallback: number): number {
      if (!spectrum.continuous) return fallback;
      const tolerance = ((view.to - view.from) / PLOT_W) * 2;
      let best: number | null = null;
      points.x.forEach((px, i) => {
        if (Math.abs(px - x) > tolerance) return;
        const y = points.y[i]!;
        if (best === null || (spectrum.y.peaksDown ? y < best : y > best)) best = y;
      });
      return best ?? fallback;
    }
  }, [spectrum, points, plot, view.from, view.to]);

  const toSvgX = (event: ReactPointerEvent) => {
    const box = svg.current!.getBoundingClientRect();
    return Math.max(PAD.left, Math.min(PAD.left + PLOT_W, ((event.clientX - box.left) / box.width) * W));
  };
  const finishDrag = () => {
    if (drag && Math.abs(drag.end - drag.start) >= 6) {
      const a = plot.xAt(drag.start);
      const b = plot.xAt(drag.end);
      onZoom({ from: Math.min(a, b), to: Math.max(a, b) });
    }
    setDrag(null);
  };

  const xTitle = axisTitle(spectrum.x);
  const arbitraryY = spectrum.y.unit === null && spectrum.y.label === "Intensity";
  const meta = [
    spectrum.kindLabel,
    spectrum.observeFrequencyMHz ? `${Math.round(spectrum.observeFrequencyMHz)} MHz` : null,
    spectrum.solvent,
    `${spectrum.pointCount.toLocaleString("en")} points`,
  ].filter(Boolean);
  const hoverX = hoverPx === null ? null : plot.xAt(hoverPx);
  const at = (x: number) => formatPeak(x, peakDecimals(spectrum));
  const range = (w: XRange) => (reversed ? `${at(w.to)} to ${at(w.from)}` : `${at(w.from)} to ${at(w.to)}`);

  return (
    <figure className="spectrum-plot">
      <figcaption className="spectrum-toolbar">
        <span>
          <strong>{spectrum.title}</strong> <span className="meta">{meta.join(" · ")}</span>
        </span>
        <span className="spectrum-actions">
          <span className="meta spectrum-readout" aria-live="polite">
            {loading ? "Loading detail… " : ""}
            {hoverX !== null
              ? `${spectrum.x.label} ${formatPeak(hoverX, peakDecimals(spectrum) + 1)}${spectrum.x.unit ? ` ${spectrum.x.unit}` : ""}`
              : ""}
          </span>
          <button type="button" onClick={() => onZoom(null)} disabled={zoom === null}>
            Reset zoom
          </button>
          {download ? (
            <a className="button" href={download}>
              Download
            </a>
          ) : null}
        </span>
      </figcaption>
      <svg
        ref={svg}
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
        data-testid="spectrum-plot"
        onPointerDown={(e) => {
          if (e.button !== 0) return;
          e.currentTarget.setPointerCapture(e.pointerId);
          const x = toSvgX(e);
          setDrag({ start: x, end: x });
        }}
        onPointerMove={(e) => {
          const x = toSvgX(e);
          setHoverPx(x);
          if (drag) setDrag({ ...drag, end: x });
        }}
        onPointerUp={finishDrag}
        onPointerCancel={() => setDrag(null)}
        onPointerLeave={() => setHoverPx(null)}
        onDoubleClick={() => onZoom(null)}
      >
        <title id={titleId}>{`${spectrum.kindLabel} spectrum: ${spectrum.title}`}</title>
        <desc id={descId}>
          {`${xTitle} from ${range(view)}${zoom ? " (zoomed)" : ""}. `}
          {labels.shown.length ? `Peaks labelled: ${labels.shown.map((l) => formatPeak(l.peak.x, labels.decimals)).join(", ")}.` : ""}
        </desc>
        <defs>
          <clipPath id={clipId}>
            <rect x={PAD.left} y={PAD.top - 40} width={PLOT_W} height={PLOT_H + 40} />
          </clipPath>
        </defs>
        {plot.xTicks.ticks.map((t) => (
          <g key={`x${t}`} className="spectrum-tick">
            <line x1={plot.sx(t)} x2={plot.sx(t)} y1={PAD.top + PLOT_H} y2={PAD.top + PLOT_H + 5} />
            <text x={plot.sx(t)} y={PAD.top + PLOT_H + 18} textAnchor="middle">
              {formatTick(t, plot.xTicks.step)}
            </text>
          </g>
        ))}
        {arbitraryY
          ? null
          : plot.yTicks.ticks.map((t) => (
              <g key={`y${t}`} className="spectrum-tick">
                <line x1={PAD.left - 5} x2={PAD.left} y1={plot.sy(t)} y2={plot.sy(t)} />
                <text x={PAD.left - 8} y={plot.sy(t) + 4} textAnchor="end">
                  {formatTick(t, plot.yTicks.step)}
                </text>
              </g>
            ))}
        <rect className="spectrum-frame" x={PAD.left} y={PAD.top} width={PLOT_W} height={PLOT_H} />
        <text className="spectrum-axis-title" x={PAD.left + PLOT_W / 2} y={H - 6} textAnchor="middle">
          {xTitle}
        </text>
        <text className="spectrum-axis-title" transform={`translate(16 ${PAD.top + PLOT_H / 2}) rotate(-90)`} textAnchor="middle">
          {axisTitle(spectrum.y)}
        </text>
        <g clipPath={`url(#${clipId})`}>
          <path className={spectrum.continuous ? "spectrum-line" : "spectrum-sticks"} d={plot.d} />
          {labels.shown.map(({ peak, px, y }) => {
            const top = plot.clampY(plot.sy(y));
            const text = formatPeak(peak.x, labels.decimals);
            // Upright text above a peak; for transmittance (bands point down) above the plot's top edge all the same.
            const anchorY = spectrum.y.peaksDown ? PAD.top - 4 : Math.max(PAD.top - 4, top - 6);
            return (
              <g key={`p${peak.x}`} className="spectrum-peak">
                <title>{peak.assignment ? `${text} — ${peak.assignment}` : text}</title>
                <line x1={px} x2={px} y1={anchorY + 2} y2={spectrum.y.peaksDown ? PAD.top + 4 : anchorY + 5} />
                <text transform={`translate(${px + 3.5} ${anchorY}) rotate(-90)`}>{text}</text>
              </g>
            );
          })}
        </g>
        {drag ? (
          <rect
            className="spectrum-selection"
            x={Math.min(drag.start, drag.end)}
            y={PAD.top}
            width={Math.abs(drag.end - drag.start)}
            height={PLOT_H}
          />
        ) : hoverPx !== null ? (
          <line className="spectrum-cursor" x1={hoverPx} x2={hoverPx} y1={PAD.top} y2={PAD.top + PLOT_H} />
        ) : null}
      </svg>
      <p className="meta spectrum-hint">
        Drag across the plot to zoom; double-click or “Reset zoom” to see it all.
        {labels.all.length > labels.shown.length
          ? ` ${labels.shown.length} of ${labels.all.length} peaks in view are labelled (the tallest).`
          : ""}
      </p>
      {spectrum.peaks.length ? (
        <details className="spectrum-peaks">
          <summary>Peak list ({spectrum.peaks.length})</summary>
          <p>
            {[...spectrum.peaks]
              .sort((a, b) => (reversed ? b.x - a.x : a.x - b.x))
              .map((p) => `${formatPeak(p.x, labels.decimals)}${p.assignment ? ` (${p.assignment})` : ""}`)
              .join(", ")}
            {spectrum.x.unit ? ` ${spectrum.x.unit}` : ""}
          </p>
        </details>
      ) : null}
    </figure>
  );
}
