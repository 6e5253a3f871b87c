#!/usr/bin/env python3
"""Prints the longest functions of Swift sources (lines from `func`/`init` to its closing brace).

Usage: scripts/function-lengths.py DIR... [--top N]
A reading aid for reviews (issue 24 asks for no function over 80 lines in SluiceRunner), not a parser:
it counts braces outside string literals and comments, which is enough for this code base's style.
"""
import re
import sys
from pathlib import Path

DECL = re.compile(r'^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|private|fileprivate|internal|static|mutating|override|nonisolated|final)\s+)*(?:func\s+[^\s(<]+|init[?!]?)\s*[(<]')


def strip(line, state):
    out, i = [], 0
    while i < len(line):
        if state['block']:
            end = line.find('*/', i)
            if end < 0:
                return ''.join(out)
            state['block'], i = False, end + 2
            continue
        if state['multiline']:
            end = line.find('"""', i)
            if end < 0:
                return ''.join(out)
            state['multiline'], i = False, end + 3
            continue
        if line.startswith('//', i):
            break
        if line.startswith('/*', i):
            state['block'], i = True, i + 2
            continue
        if line.startswith('"""', i):
            state['multiline'], i = True, i + 3
            continue
        if line[i] == '"':
            j = i + 1
            while j < len(line) and line[j] != '"':
                j += 2 if line[j] == '\\' else 1
            i = j + 1
            continue
        out.append(line[i])
        i += 1
    return ''.join(out)


def functions(path):
    lines = path.read_text().splitlines()
    state = {'block': False, 'multiline': False}
    code = [strip(line, state) for line in lines]
    found = []
    for start, line in enumerate(code):
        if not DECL.match(line):
            continue
        depth, opened = 0, False
        for end in range(start, len(code)):
            depth += code[end].count('{') - code[end].count('}')
            opened = opened or '{' in code[end]
            if opened and depth <= 0:
                found.append((end - start + 1, f'{path}:{start + 1}', lines[start].strip()[:90]))
                break
    return found


def main():
    args = sys.argv[1:]
    top = 10
    if '--top' in args:
        top = int(args[args.index('--top') + 1])
        del args[args.index('--top'):args.index('--top') + 2]
    found = []
    for root in args:
        for path in sorted(Path(root).rglob('*.swift')):
            found += functions(path)
    for length, where, text in sorted(found, reverse=True)[:top]:
        print(f'{length:5}  {where}  {text}')


if __name__ == '__main__':
    main()
