"use client";
import { defaultRangeExtractor, type Range } from "@tanstack/react-virtual";
import { type RefObject, useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";

/**
 * Keeps a virtualised list pinned to its end while it follows, and lets the reader take it away.
 *
 * Why it works this way (issue 11, a live-logs e2e that failed on a busy 2-core machine): the
 * scroll to the end used to run in a passive effect (`useEffect`). React commits a render that
 * a stream message caused in one task and runs its passive effects in a later one, and a frame
 * can come in between — the busier the machine, the more often. That frame paints the list
 * longer but not yet scrolled, and dispatches the scroll event of the previous scroll to the
 * end; read against the longer list it says "the reader left the end", and following stopped
 * (traced with every core busy: commit of rows 633–642, then the scroll event of the scroll to
 * row 632 reading 200 px from the end, then the effect — too late). A later patch counted only
 * scrolls upward, which hid that one reading but left the window open: such frames still
 * painted the view short of the end (the e2e that samples every frame and task finds 10 or more
 * in each run of the old code, even on an idle machine), the rows drawn lagged the position,
 * and a reader's own scroll in that window could be undone by the next scroll to the end.
 *
 * Now nothing has to be guessed from timing:
 * - the pin runs in a layout effect after every commit, in the same task, so no frame, paint or
 *   scroll event ever sees the list grown but not at its end;
 * - while pinned, the rows drawn are the last ones (`rangeExtractor`), whatever position the
 *   virtualizer last heard of (it hears of our scroll only at the next frame);
 * - a scroll event that is the read-back of our own write (or the virtualizer's) changes nothing;
 *   any other one is the reader's: away from the end stops following, at the end follows again;
 * - a wheel or key turned upward stops following at once, and the list holds still while a
 *   pointer or finger is down on it (a scrollbar drag, a text selection), so a pin between the
 *   reader's input and its scroll event cannot undo it.
 */
export function useFollowEnd(scroller: RefObject<HTMLElement | null>, options: { initiallyFollowing: boolean; onFollow?: () => void }) {
  const [following, setFollowingState] = useState(options.initiallyFollowing);
  const [held, setHeldState] = useState(false);
  const followingRef = useRef(options.initiallyFollowing);
  const heldRef = useRef(false);
  // Where our last write (or the virtualizer's) put the scroll position, until its scroll event.
  const ownWrite = useRef<number | null>(null);
  const onFollow = useRef(options.onFollow);
  useLayoutEffect(() => {
    onFollow.current = options.onFollow;
  });

  const setFollowing = useCallback((value: boolean) => {
    if (value && !followingRef.current) onFollow.current?.();
    followingRef.current = value;
    setFollowingState(value);
  }, []);
  const setHeld = useCallback((value: boolean) => {
    heldRef.current = value;
    setHeldState(value);
  }, []);

  useLayoutEffect(() => {
    if (followingRef.current && !heldRef.current) pinToEnd(scroller.current, ownWrite);
  });

  // A pointer or finger lifted anywhere ends the hold (it may have left the list meanwhile).
  useEffect(() => {
    if (!held) return;
    const release = () => setHeld(false);
    window.addEventListener("pointerup", release);
    window.addEventListener("touchend", release);
    window.addEventListener("touchcancel", release);
    return () => {
      window.removeEventListener("pointerup", release);
      window.removeEventListener("touchend", release);
      window.removeEventListener("touchcancel", release);
    };
  }, [held, setHeld]);

  const pinned = following && !held;
  const rangeExtractor = useCallback(
    (range: Range) => {
      if (!pinned) return defaultRangeExtractor(range);
      // As many rows as fill the view, plus the overscan, counted back from the last.
      const start = Math.max(0, range.count - (range.endIndex - range.startIndex + 1) - range.overscan);
      return Array.from({ length: range.count - start }, (_, i) => start + i);
    },
    [pinned],
  );

  const leaveUpward = (el: HTMLElement) => {
    if (followingRef.current && el.scrollTop > 0) setFollowing(false);
  };

  return {
    following,
    follow: () => setFollowing(true),
    rangeExtractor,
    /** Tell the hook about a scroll write made elsewhere (the virtualizer's `scrollToFn`). */
    noteOwnWrite: (offset: number) => {
      ownWrite.current = offset;
    },
    scrollerProps: {
      onScroll: (e: React.UIEvent<HTMLElement>) => {
        const el = e.currentTarget;
        const own = ownWrite.current !== null && Math.abs(el.scrollTop - ownWrite.current) < 1.5;
        ownWrite.current = null;
        if (own) return;
        const atEnd = el.scrollHeight - el.clientHeight - el.scrollTop <= 1;
        if (followingRef.current && !atEnd) setFollowing(false);
        else if (!followingRef.current && atEnd) setFollowing(true);
      },
      onWheel: (e: React.WheelEvent<HTMLElement>) => {
        if (e.deltaY < 0) leaveUpward(e.currentTarget);
      },
      onKeyDown: (e: React.KeyboardEvent<HTMLElement>) => {
        if (e.key === "ArrowUp" || e.key === "PageUp" || e.key === "Home") leaveUpward(e.currentTarget);
        else if (e.key === "End") setFollowing(true);
      },
      onPointerDown: (e: React.PointerEvent<HTMLElement>) => {
        // Touch is held from touchstart to touchend: a pan cancels the pointer at its start.
        if (e.pointerType !== "touch" && e.button === 0) setHeld(true);
      },
      onTouchStart: () => setHeld(true),
    },
  };
}

/** Scrolls to the very end, remembering where, so that the scroll event it causes is known as ours. */
function pinToEnd(el: HTMLElement | null, ownWrite: { current: number | null }) {
  if (!el) return;
  const end = el.scrollHeight - el.clientHeight;
  if (end - el.scrollTop < 1) return; // already there: no write, no scroll event
  ownWrite.current = end;
  el.scrollTop = end;
}
