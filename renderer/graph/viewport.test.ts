import { describe, expect, it } from 'vitest';
import { fitOptions, focusZoom, isInView, viewportCentring, FOCUS_ZOOM } from './viewport';

const node = { x: 5000, y: 800, width: 200, height: 60 };

describe('viewportCentring', () => {
  it('centres a node in the whole pane when nothing covers it', () => {
    const v = viewportCentring(node, { width: 1000, height: 600, coveredRight: 0 }, 1);
    expect(node.x * v.zoom + v.x + (node.width * v.zoom) / 2).toBe(500);
    expect(node.y * v.zoom + v.y + (node.height * v.zoom) / 2).toBe(300);
  });

  it('centres it in the part the inspector leaves free', () => {
    const pane = { width: 1100, height: 600, coveredRight: 460 };
    const v = viewportCentring(node, pane, 1.5);
    const left = node.x * v.zoom + v.x;
    expect(left + (node.width * v.zoom) / 2).toBe(320);
    expect(isInView(node, pane, v)).toBe(true);
  });

  it('uses the whole pane when the free part is too narrow for the node', () => {
    const v = viewportCentring(node, { width: 500, height: 600, coveredRight: 460 }, 1);
    expect(node.x + v.x + node.width / 2).toBe(250);
  });
});

describe('isInView', () => {
  const pane = { width: 1000, height: 600, coveredRight: 400 };
  it('is false for a node under the covered part, off screen, or partly outside', () => {
    expect(isInView({ x: 100, y: 100, width: 200, height: 60 }, pane, { x: 0, y: 0, zoom: 1 })).toBe(true);
    expect(isInView({ x: 500, y: 100, width: 200, height: 60 }, pane, { x: 0, y: 0, zoom: 1 })).toBe(false);
    expect(isInView({ x: -10, y: 100, width: 200, height: 60 }, pane, { x: 0, y: 0, zoom: 1 })).toBe(false);
    expect(isInView({ x: 100, y: 580, width: 200, height: 60 }, pane, { x: 0, y: 0, zoom: 1 })).toBe(false);
    expect(isInView({ x: 500, y: 100, width: 200, height: 60 }, pane, { x: -400, y: 0, zoom: 1 })).toBe(true);
  });
});

describe('focusZoom', () => {
  it('zooms in to legible labels, keeps a closer zoom, never beyond the maximum', () => {
    expect(focusZoom(0.1, 2)).toBe(FOCUS_ZOOM);
    expect(focusZoom(1.6, 2)).toBe(1.6);
    expect(focusZoom(0.1, 0.8)).toBe(0.8);
  });
});

describe('fitOptions', () => {
  it('pads the right side by the covered width, so a fitted graph stays out from under the inspector', () => {
    const open = fitOptions({ width: 1100, height: 600, coveredRight: 460 }, { min: 0.05, max: 1.1 });
    const closed = fitOptions({ width: 1100, height: 600, coveredRight: 0 }, { min: 0.05, max: 1.1 });
    expect(open.padding).toMatchObject({ right: '492px', left: '64px' });
    expect(closed.padding).toMatchObject({ right: '32px' });
    expect(open).toMatchObject({ minZoom: 0.05, maxZoom: 1.1 });
  });

  it('ignores a panel that leaves too little room to fit anything beside it', () => {
    expect(fitOptions({ width: 600, height: 600, coveredRight: 460 }, { min: 0.05, max: 1 }).padding).toMatchObject({ right: '32px' });
  });
});
