"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState, type ClipboardEvent, type DragEvent } from "react";
import { isPdf, pictureName, pictureToRead, requestRecognition, type Recognition } from "./picture-recognition";

/** The picture being read, as it is shown beside what was found in it. */
export interface ShownPicture {
  name: string;
  /** An object URL of the file (null for a PDF: only its name is shown). */
  url: string | null;
}

/**
 * One picture at a time: chosen by paste, drop or the file chooser, shown from an object URL (revoked when the next
 * one comes, or the control goes away), and read by the server. A newer picture cancels the request of the older.
 */
export function usePictureRecognition() {
  const [picture, setPicture] = useState<ShownPicture | null>(null);
  const [refused, setRefused] = useState<string | null>(null);
  const inFlight = useRef<AbortController | null>(null);
  const read = useMutation<Recognition, Error, File>({
    mutationFn: (file) => {
      inFlight.current?.abort();
      const controller = new AbortController();
      inFlight.current = controller;
      return requestRecognition(file, controller.signal);
    },
  });
  const { mutate, reset } = read;

  useEffect(() => {
    const url = picture?.url;
    return () => {
      if (url) URL.revokeObjectURL(url);
    };
  }, [picture]);
  useEffect(() => () => inFlight.current?.abort(), []);

  /** Reads the first picture among the files; returns whether the files were taken (else they are left to the browser). */
  const choose = (files: ArrayLike<File> | null | undefined): boolean => {
    const chosen = pictureToRead(files);
    if (chosen === null) return false;
    if ("refused" in chosen) {
      setRefused(chosen.refused);
      return true;
    }
    setRefused(null);
    reset();
    const { file } = chosen;
    setPicture({ name: pictureName(file), url: isPdf(file) ? null : URL.createObjectURL(file) });
    mutate(file);
    return true;
  };

  const handlers = {
    onPaste: (event: ClipboardEvent<HTMLElement>) => {
      if (choose(event.clipboardData.files)) event.preventDefault();
    },
    onDrop: (event: DragEvent<HTMLElement>) => {
      if (choose(event.dataTransfer.files)) event.preventDefault(); // else the browser leaves the page to show the file
    },
    onDragOver: (event: DragEvent<HTMLElement>) => {
      if (event.dataTransfer.types.includes("Files")) event.preventDefault(); // lets the drop happen here
    },
  };

  return { picture, refused, read, choose, handlers };
}
