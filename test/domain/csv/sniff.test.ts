import { describe, expect, it } from 'vitest'
import { sniffDelimiter } from '../../../domain/csv/sniff.ts'
import { neutralizeCell } from '../../../domain/csv/export.ts'

describe('sniffDelimiter', () => {
  it.each([
    ['name,phone,email\na,b,c\n', ','],
    ['name;phone;email\r\n"Doe, Jane";+44;x@y.co\r\n', ';'],
    ['name\tphone\na\tb\n', '\t'],
    ['name|phone|email\na|b|c\n', '|'],
    ['phone\n+447400123123\n', ','],
  ])('finds the delimiter of %j', (sample, expected) => {
    expect(sniffDelimiter(sample)).toBe(expected)
  })

  it('ignores delimiters inside quotes', () => {
    expect(sniffDelimiter('"a;b;c;d",x,y\n"e;f;g;h",z,w\n')).toBe(',')
  })

  it('prefers the delimiter whose count stays steady over the rows', () => {
    expect(sniffDelimiter('name;notes,comma\nJane;a\nBob;b\n')).toBe(';')
  })
})

describe('neutralizeCell', () => {
  it('turns anything a spreadsheet would run as a formula into text', () => {
    expect(['=SUM(A1)', '+447400', '-1', '@cmd', '\t=x', 'Jane', ''].map(neutralizeCell)).toEqual(["'=SUM(A1)", "'+447400", "'-1", "'@cmd", "'\t=x", 'Jane', ''])
  })
})
