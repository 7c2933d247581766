// The .properties format as java.util.Properties.load reads it.
import { describe, expect, it } from 'vitest';
import { parseProperties, parsePropertyEntries } from '../src/properties-file.js';

describe('parseProperties', () => {
  it('reads key=value, key: value and key value, ignoring comments, blank lines and whitespace around the separator', () => {
    const text = '# a comment\n! another\n\n  a=1\nb : 2\nc    3\nd=\n  e  =  five words  \n';
    expect(parseProperties(text)).toEqual({ a: '1', b: '2', c: '3', d: '', e: 'five words  ' });
  });

  it('joins continued lines, dropping the leading whitespace of the continuation', () => {
    expect(parseProperties('list=a,\\\n    b,\\\n    c\nnext=1')).toEqual({ list: 'a,b,c', next: '1' });
    // An even number of backslashes is an escaped backslash, not a continuation.
    expect(parseProperties('path=C:\\\\\nnext=1')).toEqual({ path: 'C:\\', next: '1' });
  });

  it('resolves escapes in keys and values, including \\uXXXX', () => {
    expect(parseProperties('a\\=b=c\\td\nname=\\u4e2d\\u6587\nx=\\#not a comment')).toEqual({ 'a=b': 'c\td', name: '中文', x: '#not a comment' });
  });

  it('keeps UTF-8 text as is, handles CRLF, and takes the last value of a repeated key', () => {
    expect(parseProperties('\uFEFF# 动态路由配置\r\nk=一\r\nk=二\r\n')).toEqual({ k: '二' });
    expect(parsePropertyEntries('k=一\n\nk=二').map((e) => e.line)).toEqual([1, 3]);
  });

  it('does not take a separator inside a URL value for a new key', () => {
    expect(parseProperties('mysql.url=jdbc:mysql://h:3306/db?useSSL=true&a=b')).toEqual({ 'mysql.url': 'jdbc:mysql://h:3306/db?useSSL=true&a=b' });
  });
});
