import * as vscode from 'vscode';

/**
 * How the user's side (the webview, the browser) reaches loopback ports of the extension host.
 *
 * `asExternalUri` maps them for remote and web VS Code; it keeps no path, so a port's root is
 * mapped and paths are appended. Some web builds map loopback ports to a `/proxy/<port>/` route
 * that their server does not serve (the bare VS Code server shipped in code-server's package). So
 * the stream server's mapped root is probed once: when it answers 404 from here, no port can be
 * reached through the mapping, and the loopback URLs themselves are used. Any other answer, or
 * none (a tunnel only the client side can use), keeps the mapping.
 */
export class LoopbackAddresses {
  private probed?: Promise<boolean>;

  constructor(
    private readonly streamOrigin: string,
    private readonly token: string,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** The stream server's root URL for the webview (ends with `/`). */
  async streamRoot(): Promise<string> {
    return this.rootOf(this.streamOrigin);
  }

  /** An app's loopback URL (any path) as a browser on the user's side reaches it. */
  async appAddress(appUrl: string): Promise<string> {
    const url = new URL(appUrl);
    const root = await this.rootOf(url.origin);
    // asExternalUri maps a port's root; the app's own path (Vite's `base`) goes after it.
    return new URL(`${url.pathname.replace(/^\//, '')}${url.search}`, root).toString();
  }

  private async rootOf(origin: string): Promise<string> {
    const local = `${origin}/`;
    if (!(await this.mappingWorks())) return local;
    return mapped(local);
  }

  /** Whether asExternalUri's URLs work, found once by probing the stream server's. */
  private mappingWorks(): Promise<boolean> {
    this.probed ??= this.probe();
    return this.probed;
  }

  private async probe(): Promise<boolean> {
    const local = `${this.streamOrigin}/`;
    const root = await mapped(local);
    if (root === local) return true;
    try {
      const res = await fetch(new URL('api/previews', root), {
        headers: { Authorization: `Bearer ${this.token}` },
        redirect: 'manual', // a login page in front of the proxy is still the right way in
        signal: AbortSignal.timeout(3000),
      });
      await res.body?.cancel();
      if (res.status === 404) {
        this.log.info(`${root} (asExternalUri of ${local}) answers 404: webviews and browsers get loopback URLs`);
        return false;
      }
    } catch (err) {
      this.log.info(`${root} is not reachable from the extension host (${(err as Error).message}); using it anyway`);
    }
    this.log.info(`loopback ports are reached through ${root}`);
    return true;
  }
}

async function mapped(local: string): Promise<string> {
  const url = (await vscode.env.asExternalUri(vscode.Uri.parse(local))).toString(true);
  return url.endsWith('/') ? url : `${url}/`;
}
