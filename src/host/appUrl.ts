/**
 * What a starting dev server says about itself: the URL it serves on (Vite's `Local:
 * http://localhost:5173/`, Django's `Starting development server at http://127.0.0.1:8000/`,
 * Spring Boot's `Tomcat started on port 8080`), or that its port is taken. Many tools ignore
 * `$PORT`, so their own words are the only reliable source. Input lines are ANSI-free.
 */
import { levelOf } from './levels';

/** A loopback address the app said it serves on. */
export interface LearnedUrl {
  /** The URL to open: wildcard binds (0.0.0.0, [::]) become `localhost`; the printed path is kept. */
  url: string;
  port: number;
  /** Addresses to probe, in order: how the app bound decides IPv4, IPv6 or both. */
  hosts: string[];
}

const LOOPBACK = String.raw`localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]|\[::\]`;

// `http://localhost:5173/base/`; Puma before 5 prints `tcp://`. The port is required: a dev server
// on port 80 is rare and a bare `http://localhost` is more often documentation than an address.
const URL_RE = new RegExp(String.raw`\b(https?|tcp)://(${LOOPBACK}):(\d{1,5})(/[^\s'"<>()\]\[,]*)?`, 'i');

// Spring Boot's embedded servers: `Tomcat started on port 8080 (http) with context path '/api'`,
// `Tomcat started on port(s): 8080 (http)`, `Netty started on port 8080 (http)`.
const SPRING_RE =
  /\b(?:Tomcat|Netty|Jetty|Undertow)\b.*\bstarted on port(?:\(s\))?:? (\d{1,5})(?: \((https?)\))?(?:.*?context path '([^']*)')?/;

// Go's and Express's own words: `Listening and serving HTTP on :8080`, `listening on :8080`,
// `Server listening on port 3000`, `http server started on [::]:1323`.
const BARE_PORT_RE = new RegExp(
  String.raw`\b(?:listening|serving|started|running)\b(?: and serving HTTP)?(?: (?:server|app))? (?:on|at) (?:port:? |(${LOOPBACK}|::)?:)(\d{2,5})\b(?![.:/\d])`,
  'i',
);

// Lines that name someone else's loopback address while the app starts.
const NOT_THE_APP =
  /\bproxy|\bproxying|\bforward(?:ing)? to|\bupstream|\bdatabase|\bredis|\bpostgres|\bmongo|\bdebugger|\binspector|\bdevtools|connect(?:ing|ed)? to/i;

/**
 * The loopback URL `plain` says the app serves on, or undefined. An error line's URL is someone
 * else's (Vite 8: `Error: Found another Vite dev process for this project at http://localhost:5173/`).
 */
export function learnAppUrl(plain: string): LearnedUrl | undefined {
  if (!/\d/.test(plain) || NOT_THE_APP.test(plain) || levelOf(plain) === 'ERROR') return undefined;
  const url = URL_RE.exec(plain);
  if (url) {
    const scheme = url[1].toLowerCase() === 'https' ? 'https' : 'http';
    return make(scheme, url[2], Number(url[3]), trimPath(url[4]));
  }
  const spring = SPRING_RE.exec(plain);
  if (spring) return make(spring[2] ?? 'http', 'localhost', Number(spring[1]), spring[3] ? `${spring[3].replace(/\/?$/, '/')}` : '/');
  const bare = BARE_PORT_RE.exec(plain);
  if (bare) return make('http', bare[1] ?? 'localhost', Number(bare[2]), '/');
  return undefined;
}

// `address already in use` (Python, Go, Ruby), `EADDRINUSE` (Node), `Port 5173 is already in use`
// (Vite --strictPort), `That port is already in use.` (Django), `Port 8080 was already in use`
// (Spring), `Something is already running on port 3000` (create-react-app), gunicorn's
// `Connection in use: ('127.0.0.1', 8000)`, Windows' WSAEADDRINUSE.
const PORT_IN_USE =
  /\bEADDRINUSE\b|address already in use|\bport\b[^.!?]{0,30}\b(?:is|was) (?:already )?in use|already running on port|Connection in use: \(|only one usage of each socket address/i;

/** True when `plain` says the app could not bind because its port is taken. */
export function saysPortInUse(plain: string): boolean {
  return PORT_IN_USE.test(plain);
}

// The port a "port in use" line names, most telling form first: Python's `('127.0.0.1', 8000)`,
// `Port 5173 is …` / `on port 3000`, then the last address's `:::3000`, `127.0.0.1:9090` once
// clock times (`20:51:55`) are out of the way.
const TUPLE_PORT = /\(\s*'[^']*',\s*(\d{1,5})\s*\)/;
const WORD_PORT = /\bport\b\D{0,4}(\d{1,5})\b/i;
const CLOCK_TIME = /\b\d\d?:\d\d(?::\d\d)?(?:[.,]\d+)?\b/g;
const ADDRESS_PORT = /:(\d{2,5})\b/g;

/** The port a "port in use" line names, if it names one. */
export function portNamedIn(plain: string): number | undefined {
  let found = TUPLE_PORT.exec(plain)?.[1] ?? WORD_PORT.exec(plain)?.[1];
  if (found === undefined) for (const m of plain.replace(CLOCK_TIME, '').matchAll(ADDRESS_PORT)) found = m[1];
  const port = Number(found);
  return Number.isInteger(port) && port > 0 && port <= 65535 ? port : undefined;
}

function make(scheme: string, host: string, port: number, path: string): LearnedUrl | undefined {
  if (!Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  const h = host.toLowerCase();
  const hosts =
    h === '127.0.0.1' || h === '0.0.0.0'
      ? ['127.0.0.1']
      : h === '[::1]'
        ? ['::1']
        : // `localhost` may resolve to either family first; a wildcard IPv6 bind is usually dual-stack.
          h === '[::]' || h === '::'
          ? ['::1', '127.0.0.1']
          : ['127.0.0.1', '::1'];
  const shown = h === '0.0.0.0' || h === '[::]' || h === '::' ? 'localhost' : h;
  return { url: `${scheme}://${shown}:${port}${path}`, port, hosts };
}

function trimPath(path: string | undefined): string {
  if (!path) return '/';
  // Sentence punctuation after a URL is not part of it: `… at http://127.0.0.1:8000/.`
  return path.replace(/[.,;:!?'"`]+$/, '') || '/';
}
