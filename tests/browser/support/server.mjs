// Where the browser tests find the admin page. Today the daemon does not
// serve it yet, so startServer starts the mock of docs/admin-api.md; once it
// does, startServer starts the daemon (tests/support's DaemonProcess does
// the same from C++) and resolves to the same { url, state, close } shape.
// TB_BASE_URL points the screenshots at a page that already runs.

import { startMock } from './mock-admin-api.mjs';

export const BASE_URL = process.env.TB_BASE_URL || '';

export async function startServer() {
  return startMock();
}
