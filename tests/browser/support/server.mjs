// Where the browser tests find the admin page: startServer() starts the
// fake Zoom and the real daemon against it (support/daemon.mjs) and
// resolves to { url, apiUrl, zoom, cli, setupCode, makeAdmin, close }.
// The in-memory mock (support/mock-admin-api.mjs) is started only by the
// tests that need states the daemon cannot reach in reasonable time.

import { startDaemon, startFakeZoom } from './daemon.mjs';

export async function startServer() {
  const zoom = await startFakeZoom();
  let daemon;
  try {
    daemon = await startDaemon(zoom);
  } catch (error) {
    await zoom.close();
    throw error;
  }
  return {
    ...daemon,
    zoom,
    async close() {
      try {
        await daemon.close();
      } finally {
        await zoom.close();
      }
    },
  };
}
