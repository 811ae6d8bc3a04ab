// How often the host's level tagging agrees with a labelled log corpus: Loghub
// (https://github.com/logpai/loghub), whose `<Set>/<Set>_2k.log_structured.csv` files give each line
// of `<Set>_2k.log` a Level column (Android, Apache, BGL, HDFS, Hadoop, OpenStack, Spark, Windows,
// Zookeeper). Its data is not ours to commit; point this at a checkout of it.
//
//   npx tsx bench/loghub-levels.ts DIR [--examples 3]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineTagger } from '../src/host/lineTagger';
import type { LogLevel } from '../src/shared/protocol';

const dir = process.argv[2];
if (!dir || !fs.existsSync(dir)) {
  console.error('usage: npx tsx bench/loghub-levels.ts LOGHUB_DIR [--examples N]');
  process.exit(2);
}
const examplesArg = process.argv.indexOf('--examples');
const maxExamples = examplesArg > 0 ? Number(process.argv[examplesArg + 1]) : 3;

// Loghub's level names (BGL's FAILURE and SEVERE, Android's letters, Apache's notice) as ours.
const LEVELS: Record<string, LogLevel> = {
  ...Object.fromEntries(['error', 'e', 'f', 'fatal', 'severe', 'failure', 'crit', 'critical', 'emerg', 'alert'].map((w) => [w, 'ERROR'])),
  ...Object.fromEntries(['warn', 'w', 'warning'].map((w) => [w, 'WARN'])),
  ...Object.fromEntries(['notice', 'info', 'i'].map((w) => [w, 'INFO'])),
  ...Object.fromEntries(['d', 'v', 'debug', 'trace'].map((w) => [w, 'DEBUG'])),
};

/** One CSV record's fields (RFC 4180 quoting; Loghub's records are one line each). */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (line[i] === '"') break;
        else value += line[i++];
      }
      fields.push(value);
      i += 2; // the closing quote and the comma
    } else {
      const end = line.indexOf(',', i);
      fields.push(line.slice(i, end < 0 ? line.length : end));
      i = end < 0 ? line.length + 1 : end + 1;
    }
  }
  return fields;
}

let total = 0;
let totalOff = 0;
for (const set of fs.readdirSync(dir).sort()) {
  const csv = path.join(dir, set, `${set}_2k.log_structured.csv`);
  const log = path.join(dir, set, `${set}_2k.log`);
  if (!fs.existsSync(csv) || !fs.existsSync(log)) continue;
  const [header, ...records] = fs.readFileSync(csv, 'utf8').split(/\r?\n/).filter(Boolean);
  const columns = csvFields(header);
  const levelColumn = columns.indexOf('Level');
  if (levelColumn < 0) continue;
  const raw = fs.readFileSync(log, 'utf8').split(/\r?\n/);
  const labelled = records
    .map((record) => csvFields(record))
    .map((fields) => ({ text: raw[Number(fields[0]) - 1], level: LEVELS[fields[levelColumn].trim().toLowerCase()] }))
    .filter((row) => row.text !== undefined && row.level !== undefined);
  if (labelled.length < records.length / 2) continue; // Linux's "Level" column holds host names
  const tagger = new LineTagger();
  const off = new Map<string, string[]>();
  let offCount = 0;
  labelled.forEach(({ text, level }, i) => {
    const got = tagger.line(text, '2026-12-02T12:00:00.000Z', 'stdout', i + 1).level;
    if (got === level) return;
    offCount++;
    const key = `${level} tagged ${got}`;
    const examples = off.get(key) ?? [];
    if (examples.length < maxExamples) examples.push(text.slice(0, 160));
    off.set(key, examples);
  });
  total += labelled.length;
  totalOff += offCount;
  console.log(`${set}: ${offCount} of ${labelled.length} lines off`);
  for (const [key, examples] of off) for (const text of examples) console.log(`  ${key}: ${text}`);
}
console.log(`all: ${totalOff} of ${total} labelled lines off`);
