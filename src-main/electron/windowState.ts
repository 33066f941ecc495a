/**
 * Window bounds remembered across runs in `window-state.json` (userData).
 * The file is validated on load and the bounds are clamped to a display that is
 * actually connected, so a window never reopens off-screen.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { app, screen, type BrowserWindow, type Rectangle } from 'electron';
import { z } from 'zod';
import { createLogger } from '../log.js';

const log = createLogger('electron.windowState');

const minWidth = 900;
const minHeight = 600;
const defaultSize = { width: 1280, height: 820 };

const stateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(1).max(100_000),
  height: z.number().int().min(1).max(100_000),
  maximized: z.boolean().default(false),
});
export type WindowState = z.infer<typeof stateSchema>;

export const windowMinimumSize = { minWidth, minHeight };

function stateFile(): string {
  return path.join(app.getPath('userData'), 'window-state.json');
}

export function loadWindowState(): WindowState {
  let saved: WindowState | null = null;
  try {
    const parsed = stateSchema.safeParse(JSON.parse(readFileSync(stateFile(), 'utf8')));
    if (parsed.success) saved = parsed.data;
    else log.warn('ignored invalid window state');
  } catch {
    // First run or unreadable file: defaults.
  }
  return clampToDisplay(saved ?? { ...defaultSize, maximized: false });
}

/** Keeps the size within the work area of the display it mostly overlaps, and the window on it. */
function clampToDisplay(state: WindowState): WindowState {
  const wanted = { x: state.x ?? 0, y: state.y ?? 0, width: state.width, height: state.height };
  const display = state.x === undefined || state.y === undefined ? screen.getPrimaryDisplay() : screen.getDisplayMatching(wanted);
  const area = display.workArea;
  const width = Math.min(Math.max(state.width, minWidth), area.width);
  const height = Math.min(Math.max(state.height, minHeight), area.height);
  if (state.x === undefined || state.y === undefined || !overlaps(wanted, area)) {
    return { width, height, maximized: state.maximized };
  }
  const x = Math.min(Math.max(state.x, area.x), area.x + area.width - width);
  const y = Math.min(Math.max(state.y, area.y), area.y + area.height - height);
  return { x, y, width, height, maximized: state.maximized };
}

function overlaps(a: Rectangle, b: Rectangle): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Saves the normal (restored) bounds when the window closes. */
export function trackWindowState(window: BrowserWindow): void {
  window.on('close', () => {
    const bounds = window.getNormalBounds();
    const state: WindowState = { ...bounds, maximized: window.isMaximized() };
    const file = stateFile();
    try {
      writeFileSync(`${file}.tmp`, JSON.stringify(state));
      renameSync(`${file}.tmp`, file);
    } catch (error) {
      log.warn('could not save window state', { error: error instanceof Error ? error.message : String(error) });
    }
  });
}
