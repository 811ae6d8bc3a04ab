import assert from 'node:assert/strict';
import { firstAfterSeq } from '../../src/shared/seqOrder';

describe('firstAfterSeq', () => {
  const seqOf = (n: number) => n;
  it('finds the first item above `after` in rising seqs, or the end', () => {
    const seqs = [2, 3, 7, 10];
    assert.equal(firstAfterSeq(seqs, 0, seqOf), 0);
    assert.equal(firstAfterSeq(seqs, 2, seqOf), 1);
    assert.equal(firstAfterSeq(seqs, 5, seqOf), 2);
    assert.equal(firstAfterSeq(seqs, 7, seqOf), 3);
    assert.equal(firstAfterSeq(seqs, 10, seqOf), 4);
    assert.equal(firstAfterSeq([], 5, seqOf), 0);
  });
});
