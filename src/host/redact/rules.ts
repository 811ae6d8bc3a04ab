/**
 * The secret shapes masked in every line before it is kept (see `redact/index.ts`). Each rule
 * finds one shape and says which part of its match is the secret; the text around it stays.
 * Add a shape with a row here, a trigger in `mayHoldSecret`, and true and false positives in
 * `test/unit/redact.test.ts`.
 */

/** One secret shape. */
export interface SecretRule {
  /** Shown in the marker, `«redacted:<kind>»`; a function reads it from the match (the key's name). */
  kind: string | ((match: RegExpExecArray) => string);
  /** Global, with indices (`gd`). */
  re: RegExp;
  /** Groups that hold the secret, the first that matched wins; absent: the whole match. */
  groups?: number[];
  /** A second look at the secret (shape heuristics a regex would make slow or unreadable). */
  accept?: (secret: string) => boolean;
  /** Checked first: a line without it skips the rule (for rules whose regex is slow to fail). */
  hint?: RegExp;
}

/**
 * The cheap first look, run on every line: a line that passes none of these holds none of the
 * shapes below (each rule's match contains one of them), so it skips them all. Small regexes
 * rather than one of every trigger: V8 scans a short alternation of words with Boyer–Moore skips,
 * while one long alternation of short prefixes tries each of them at every character.
 * Keep in step with RULES (the redact tests check every rule's examples pass the first look).
 */
const TRIGGER_WORDS = /passw|passphrase|secret|token|key|credential|bearer|basic|authoriz|slack/i;
const TRIGGER_PREFIXES = /AIza|eyJ|A[KSBC][IC]A|:\/\/|-----BEGIN/;
/** Token prefixes (`ghp_…`, `glpat-…`, `sk_live_…`, `sk-…`, `xoxb-…`) end in `_` or `-` and a long run. */
const TRIGGER_RUN = /[_-][A-Za-z0-9]{10}/;

/** False when `text` cannot hold any built-in secret shape. */
export function mayHoldSecret(text: string): boolean {
  return (
    TRIGGER_WORDS.test(text) ||
    TRIGGER_PREFIXES.test(text) ||
    // A character search first: the class regex alone steps through every character.
    ((text.includes('_') || text.includes('-')) && TRIGGER_RUN.test(text))
  );
}

/**
 * How a key whose value is a secret ends (`DB_PASSWORD`, `aws_secret_access_key`): the word must be
 * followed by the separator, so `max_tokens:` and `token count:` are not keys of secrets. Matching
 * the ending alone (not the whole name) lets the engine look for the words directly.
 */
const SECRET_KEY_END = String.raw`(passw(?:or)?d|passphrase|secret|token|(?:secret|private|api|access|auth|signing|encryption|master|client)[_-]?key|apikey|credentials?)`;

/** A value: "double quoted" (JSON escapes), 'single quoted', or bare up to a separator. */
const VALUE = String.raw`(?:"((?:[^"\\\r\n]|\\.)*)"|'([^'\r\n]*)'|([^\s"'\`&;,<>\x1b]+))`;

/** True for strings that look generated rather than written: a digit, or upper and lower case past the first letter. */
export function looksGenerated(s: string): boolean {
  return /\d/.test(s) || (/[A-Z]/.test(s.slice(1)) && /[a-z]/.test(s));
}

/** The marker's kind for a `key=value` secret, from the key's name. */
function keyKind(match: RegExpExecArray): string {
  let start = match.index;
  while (start > 0 && /[\w.-]/.test(match.input[start - 1])) start--;
  const key = (match.input.slice(start, match.index) + match[1]).toLowerCase();
  if (/passw|passphrase/.test(key)) return 'password';
  if (/token$/.test(key)) return 'token';
  if (/credentials?$/.test(key)) return 'credentials';
  if (/secret/.test(key)) return 'secret';
  return 'key';
}

const AUTH_SCHEME = String.raw`(?:bearer|basic|token|digest|negotiate|ntlm|aws4-hmac-sha256)\s+`;

/** The built-in rules, in no particular order (overlapping matches are merged). */
export const RULES: readonly SecretRule[] = [
  // scheme://user:password@host — DSNs (postgres, mysql, redis, amqp, mongodb+srv) and URLs.
  { kind: 'url-password', re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:"'<>]*:([^\s/?#"'<>]+)@/dgi, groups: [1], hint: /:\/\/[^\s/]*@/ },
  // https://<token>@github.com: a username alone that looks generated is a token.
  {
    kind: 'url-token',
    re: /\b(?:https?|git|ssh):\/\/([^\s/?#@:"'<>]{16,})@/dgi,
    groups: [1],
    accept: looksGenerated,
    hint: /:\/\/[^\s/]*@/,
  },
  // Authorization: <scheme> <value>, in a header dump, JSON or an inspected object.
  {
    kind: 'authorization',
    re: new RegExp(
      String.raw`\b(?:proxy-)?authorization["']?\s*[:=]\s*(?:"(?:${AUTH_SCHEME})?((?:[^"\\\r\n]|\\.)+)"|'(?:${AUTH_SCHEME})?([^'\r\n]+)'|(?:${AUTH_SCHEME})?([^\s"',;\x1b]+))`,
      'dgi',
    ),
    groups: [1, 2, 3],
  },
  // Bearer/Basic credentials anywhere ("Bearer authentication" is a phrase, not a credential).
  { kind: 'bearer', re: /\bbearer\s+([A-Za-z0-9._~+/-]{8,}=*)/dgi, groups: [1], accept: looksGenerated },
  { kind: 'basic', re: /\bbasic\s+([A-Za-z0-9+/]{8,}={0,2})(?![\w+/=])/dgi, groups: [1], accept: looksGenerated },
  // AWS access key ids (the secret keys have no shape of their own: they are masked by name below).
  { kind: 'aws-key', re: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/dg },
  { kind: 'github-token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/dg },
  { kind: 'gitlab-token', re: /\bgl(?:pat|dt|rt|ptt|soat)-[A-Za-z0-9_-]{20,}/dg },
  { kind: 'slack-token', re: /\bx(?:ox[abposre]|app)-[A-Za-z0-9-]{10,}/dg },
  { kind: 'slack-webhook', re: /\bhooks\.slack\.com\/(?:services|workflows|triggers)\/([A-Za-z0-9/_-]+)/dg, groups: [1] },
  { kind: 'stripe-key', re: /\b(?:(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}|whsec_[A-Za-z0-9]{20,})/dg },
  // OpenAI-style (sk-…, sk-proj-…, and Anthropic's sk-ant-…); a digit keeps kebab-case words out.
  { kind: 'api-key', re: /\bsk-(?:proj-|svcacct-|admin-|ant-)?[A-Za-z0-9_-]{20,}/dg, accept: (s) => /\d/.test(s) },
  { kind: 'google-api-key', re: /\bAIza[0-9A-Za-z_-]{35}/dg },
  { kind: 'jwt', re: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/dg },
  // password=…, "api_key": "…", token: '…', ?access_token=…&, :secret => "…" (key name at its end).
  {
    kind: keyKind,
    re: new RegExp(String.raw`${SECRET_KEY_END}["']?\s*(?:=>|:|=)\s*${VALUE}`, 'dgi'),
    groups: [2, 3, 4],
  },
];

/** The first line of a PEM private key block (RSA, EC, OPENSSH, ENCRYPTED, PGP …). */
export const PRIVATE_KEY_BEGIN = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/;
/** Its last line. */
export const PRIVATE_KEY_END = /-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/;
