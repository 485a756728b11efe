/**
 * Where the run graph looks, inside its ReactFlowProvider: fitted once per layout (or,
 * on coming back from the list with a phase selected, zoomed to that phase), zoomed to
 * a phase on request (search, minimap, list), and panned so a phase picked on the graph
 * is not left under the inspector. The inspector's width is measured, not assumed.
 */
import { useReactFlow, useStore } from '@xyflow/react';
import { useCallback, useEffect, useLayoutEffect, useRef, type RefObject } from 'react';
import { NODE_HEIGHT, NODE_WIDTH } from '../../graph/layout';
import { fitOptions, focusZoom, isInView, viewportCentring, type Pane } from '../../graph/viewport';
import { appStore, useWaymark } from '../../state/store';

export const MIN_ZOOM = 0.05;
export const MAX_ZOOM = 2;
/** A fitted graph is never drawn larger than this. */
const FIT_MAX_ZOOM = 1.1;
const FOCUS_MS = 350;

export interface GraphViewport {
  /** Fits the whole graph into the part of the pane the inspector leaves free. */
  fit(): void;
  /** Zooms to a phase, centred in the free part, labels legible; false when it is not drawn. */
  focus(phaseId: string): boolean;
}

/** The pane's size and how much of its right side a panel over it (the inspector) covers. */
function measurePane(pane: HTMLElement): Pane {
  const box = pane.getBoundingClientRect();
  const panel = pane.parentElement?.querySelector<HTMLElement>('[data-testid="inspector"]');
  const left = panel ? panel.getBoundingClientRect().left : box.right;
  return { width: box.width, height: box.height, coveredRight: Math.max(0, Math.min(box.width, box.right - left)) };
}

export function useGraphViewport(paneRef: RefObject<HTMLElement | null>): GraphViewport {
  const { fitView, getViewport, setViewport, getInternalNode } = useReactFlow();
  const layoutFor = useWaymark((s) => s.layoutFor);
  const selected = useWaymark((s) => s.selectedPhaseId);
  const request = useWaymark((s) => s.focusRequest);
  const sized = useStore((s) => s.width > 0 && s.height > 0);

  const rectOf = useCallback(
    (phaseId: string) => {
      const node = getInternalNode(phaseId);
      return node ? { ...node.internals.positionAbsolute, width: NODE_WIDTH, height: NODE_HEIGHT } : null;
    },
    [getInternalNode],
  );
  const fit = useCallback(() => {
    if (paneRef.current) void fitView(fitOptions(measurePane(paneRef.current), { min: MIN_ZOOM, max: FIT_MAX_ZOOM }));
  }, [fitView, paneRef]);
  // The phase last zoomed to: its selection needs no panning on top of the zoom.
  const focused = useRef<string | null>(null);
  const focus = useCallback(
    (phaseId: string, duration = FOCUS_MS) => {
      const rect = rectOf(phaseId);
      if (!rect || !paneRef.current) return false;
      focused.current = phaseId;
      void setViewport(viewportCentring(rect, measurePane(paneRef.current), focusZoom(getViewport().zoom, MAX_ZOOM)), { duration });
      return true;
    },
    [rectOf, paneRef, setViewport, getViewport],
  );

  // Once per layout, before the first paint with the new positions (a big graph is drawn
  // once, fitted, not at 100% and then again). Coming back from the list, the selected
  // phase is shown instead of the whole graph.
  const firstLayout = useRef(true);
  useLayoutEffect(() => {
    if (!layoutFor || !sized) return;
    const phaseId = firstLayout.current ? appStore.getState().selectedPhaseId : null;
    firstLayout.current = false;
    if (!phaseId || !focus(phaseId, 0)) fit();
  }, [layoutFor, sized, fit, focus]);

  // Requests made while the graph is shown; one made before it mounted is already served above.
  const served = useRef(request?.seq ?? 0);
  useEffect(() => {
    if (!request || request.seq <= served.current || !layoutFor) return;
    served.current = request.seq;
    focus(request.phaseId);
  }, [request, layoutFor, focus]);

  // A phase picked on the graph: pan it out from under the inspector, keeping the zoom.
  useEffect(() => {
    const zoomedTo = focused.current;
    focused.current = null;
    const rect = selected && selected !== zoomedTo ? rectOf(selected) : null;
    if (!rect || !paneRef.current) return;
    const pane = measurePane(paneRef.current);
    const viewport = getViewport();
    if (isInView(rect, pane, viewport)) return;
    const left = rect.x * viewport.zoom + viewport.x;
    const right = left + rect.width * viewport.zoom;
    const free = pane.width - pane.coveredRight;
    const dx = right > free ? free - 24 - right : left < 0 ? 24 - left : 0;
    if (dx !== 0) void setViewport({ ...viewport, x: viewport.x + dx }, { duration: 250, interpolate: 'linear' });
  }, [selected, rectOf, paneRef, getViewport, setViewport]);

  return { fit, focus };
}
