import * as net from 'node:net';

/** Returns `value` as a port number, or throws naming the value when it is not an integer 1-65535. */
export function assertValidPort(value: unknown): number {
  // Ports arrive from CLI flags and settings as strings too; accept plain decimal digits only.
  const port = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value.trim()) : value;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
    throw new Error(`invalid port: ${shown} (expected an integer 1-65535)`);
  }
  return port;
}

/** Asks the OS for a port that is free on `host` right now (another process may take it before we do). */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (err) => reject(new Error(`could not find a free port on ${host}: ${err.message}`)));
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : undefined;
      server.close(() => {
        if (port) resolve(port);
        else reject(new Error(`could not find a free port on ${host}: no port in address ${String(address)}`));
      });
    });
  });
}
