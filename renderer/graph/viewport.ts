/**
 * Where to look on the run graph, as pure arithmetic on React Flow viewports
 * (`x`, `y` pan in screen pixels, `zoom`). The inspector panel covers the right side of
 * the pane, so "visible" means the part left of it: a focused phase is centred there,
 * and a fitted graph is padded to stay out from under it.
 */
import type { FitViewOptions, Viewport } from '@xyflow/react';

/** The zoom a focused phase is shown at, at least: full detail, labels legible. */
export const FOCUS_ZOOM = 1;
/** Room kept free around a fitted graph; more at the top for the legend. */
const FIT_MARGIN = { top: 64, bottom: 24, left: 64, right: 32 };

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Pane {
  width: number;
  height: number;
  /** Pixels of the pane's right side covered by a panel (0 when none is open). */
  coveredRight: number;
}

/** The part of the pane a node can be seen in; the whole pane when what is left is too narrow to use. */
function visibleWidth(pane: Pane, needed: number): number {
  const left = pane.width - pane.coveredRight;
  return left >= needed ? left : pane.width;
}

/** The viewport that shows `rect` (flow coordinates) centred in the visible part of the pane. */
export function viewportCentring(rect: Rect, pane: Pane, zoom: number): Viewport {
  const width = visibleWidth(pane, rect.width * zoom + 48);
  return {
    x: width / 2 - (rect.x + rect.width / 2) * zoom,
    y: pane.height / 2 - (rect.y + rect.height / 2) * zoom,
    zoom,
  };
}

/** The zoom to show a focused phase at: the current one when already close enough, else FOCUS_ZOOM. */
export function focusZoom(current: number, maxZoom: number): number {
  return Math.min(Math.max(current, FOCUS_ZOOM), maxZoom);
}

/** Whether `rect` is wholly inside the visible part of the pane at `viewport`. */
export function isInView(rect: Rect, pane: Pane, viewport: Viewport): boolean {
  const left = rect.x * viewport.zoom + viewport.x;
  const top = rect.y * viewport.zoom + viewport.y;
  const right = left + rect.width * viewport.zoom;
  const bottom = top + rect.height * viewport.zoom;
  return left >= 0 && top >= 0 && right <= visibleWidth(pane, right - left) && bottom <= pane.height;
}

/** fitView options that keep the fitted graph clear of the legend, the controls and a panel on the right. */
export function fitOptions(pane: Pane, zoom: { min: number; max: number }): FitViewOptions {
  const right = FIT_MARGIN.right + (pane.width - pane.coveredRight >= 320 ? pane.coveredRight : 0);
  return {
    padding: { top: `${FIT_MARGIN.top}px`, bottom: `${FIT_MARGIN.bottom}px`, left: `${FIT_MARGIN.left}px`, right: `${right}px` },
    minZoom: zoom.min,
    maxZoom: zoom.max,
  };
}
