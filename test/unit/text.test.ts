import { describe, expect, it } from "vitest";
import { LineIndex, closest, dedent, editDistance, oneLine } from "../../compiler/util/text.js";

describe("LineIndex", () => {
  it("maps offsets to 1-based positions in LF text", () => {
    const index = new LineIndex("ab\ncde\n\nf");
    expect(index.lineCount).toBe(4);
    expect(index.position(0)).toEqual({ line: 1, column: 1 });
    expect(index.position(1)).toEqual({ line: 1, column: 2 });
    expect(index.position(2)).toEqual({ line: 1, column: 3 }); // the "\n" itself
    expect(index.position(3)).toEqual({ line: 2, column: 1 });
    expect(index.position(5)).toEqual({ line: 2, column: 3 });
    expect(index.position(7)).toEqual({ line: 3, column: 1 });
    expect(index.position(8)).toEqual({ line: 4, column: 1 });
    expect(index.position(9)).toEqual({ line: 4, column: 2 }); // end of text
  });

  it("round-trips every offset of LF and CRLF texts", () => {
    for (const text of ["first\nsecond line\n\nlast", "first\r\nsecond line\r\n\r\nlast\r\n", "x", "\n\n", "a\r\nb"]) {
      const index = new LineIndex(text);
      for (let offset = 0; offset <= text.length; offset++) {
        const { line, column } = index.position(offset);
        expect(line).toBeGreaterThanOrEqual(1);
        expect(line).toBeLessThanOrEqual(index.lineCount);
        expect(column).toBeGreaterThanOrEqual(1);
        expect(index.offset(line, column)).toBe(offset);
      }
    }
  });

  it("counts CRLF lines by their LF and keeps columns in the line", () => {
    const text = "one\r\ntwo\r\nthree";
    const index = new LineIndex(text);
    expect(index.lineCount).toBe(3);
    expect(index.position(text.indexOf("two"))).toEqual({ line: 2, column: 1 });
    expect(index.position(text.indexOf("ree"))).toEqual({ line: 3, column: 3 });
    expect(index.offset(3, 1)).toBe(text.indexOf("three"));
    expect(index.offset(1, 4)).toBe(3); // the "\r"
  });

  it("handles the first and last lines, including a trailing newline", () => {
    const text = "alpha\nbeta\n";
    const index = new LineIndex(text);
    expect(index.lineCount).toBe(3);
    expect(index.offset(1, 1)).toBe(0);
    expect(index.offset(2, 4)).toBe(text.indexOf("a\n", 6));
    expect(index.position(text.length)).toEqual({ line: 3, column: 1 });
    expect(index.lineText(1)).toBe("alpha");
    expect(index.lineText(2)).toBe("beta");
    expect(index.lineText(3)).toBe("");
  });

  it("handles empty text", () => {
    const index = new LineIndex("");
    expect(index.lineCount).toBe(1);
    expect(index.position(0)).toEqual({ line: 1, column: 1 });
    expect(index.offset(1, 1)).toBe(0);
    expect(index.lineText(1)).toBe("");
  });

  it("lineText strips the \\r of CRLF and returns '' past the end", () => {
    const index = new LineIndex("a = 1\r\n  b = 2\r\nc\r\n");
    expect(index.lineText(1)).toBe("a = 1");
    expect(index.lineText(2)).toBe("  b = 2");
    expect(index.lineText(3)).toBe("c");
    expect(index.lineText(4)).toBe("");
    expect(index.lineText(5)).toBe("");
  });

  it("lineText keeps a \\r that is not at the end of the line", () => {
    expect(new LineIndex("a\rb\nc").lineText(1)).toBe("a\rb");
  });
});

describe("dedent", () => {
  it("removes the indentation common to all non-blank lines", () => {
    expect(dedent("    if ($x) {\n      Write-Output 1\n    }")).toBe("if ($x) {\n  Write-Output 1\n}");
  });

  it("removes blank lines at both ends, including whitespace-only ones", () => {
    expect(dedent("\n   \n    a\n      b\n  \n\n")).toBe("a\n  b");
    expect(dedent("\r\n  a\r\n  b\r\n")).toBe("a\nb");
  });

  it("keeps inner blank lines (as empty lines) and ignores them for the common indentation", () => {
    expect(dedent("\n    a\n\n    b\n  \n    c\n")).toBe("a\n\nb\n\nc");
  });

  it("treats an already flush text as is", () => {
    expect(dedent("a\n  b")).toBe("a\n  b");
    expect(dedent("")).toBe("");
    expect(dedent("\n \n")).toBe("");
  });

  it("removes tab indentation as tabs and keeps deeper tabs as they are", () => {
    expect(dedent("\t\tfoo\n\t\t\tbar\n\t\tbaz")).toBe("foo\n\tbar\nbaz");
  });

  it("does not treat a tab as a space: mixed indentation has no common prefix", () => {
    expect(dedent("\tx\n  y")).toBe("\tx\n  y");
    expect(dedent("  \ta\n  \tb")).toBe("a\nb");
  });
});

describe("editDistance", () => {
  it("computes the edit distance: insertions, deletions, substitutions, and a swap of neighbours as one", () => {
    expect(editDistance("", "")).toBe(0);
    expect(editDistance("abc", "")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("hostnme", "hostname")).toBe(1);
    expect(editDistance("flaw", "lawn")).toBe(2);
    // A swap of two neighbouring characters is one edit (the commonest typo), not two substitutions.
    expect(editDistance("ab", "ba")).toBe(1);
    expect(editDistance("valeu", "value")).toBe(1);
    expect(editDistance("nmae", "name")).toBe(1);
    expect(editDistance("vlaue", "value")).toBe(1);
    // (optimal string alignment: a swapped pair is not edited again)
    expect(editDistance("ca", "abc")).toBe(3);
  });

  it("is symmetric and case-sensitive", () => {
    expect(editDistance("Sunday", "saturday")).toBe(editDistance("saturday", "Sunday"));
    expect(editDistance("A", "a")).toBe(1);
  });
});

describe("closest", () => {
  it("suggests the near name", () => {
    expect(closest("hostnme", ["port", "hostname", "timeout"])).toBe("hostname");
    expect(closest("File/WebRot", ["File/WebRoot", "Service/W3SVC"])).toBe("File/WebRoot");
  });

  it("returns undefined when nothing is close, or there are no candidates", () => {
    expect(closest("hostnme", ["port", "timeout", "region"])).toBeUndefined();
    expect(closest("xyz", [])).toBeUndefined();
  });

  it("allows a distance of up to a third of the name's length (at least 1)", () => {
    expect(closest("abcdef", ["abcxyf"])).toBe("abcxyf"); // 2 of 6
    expect(closest("abcdef", ["axyzef"])).toBeUndefined(); // 3 of 6
    expect(closest("ab", ["ax"])).toBe("ax"); // 1, the minimum allowed
    expect(closest("ab", ["xy"])).toBeUndefined();
  });

  it("compares case-insensitively but returns the candidate as written", () => {
    expect(closest("HOSTNAME", ["hostName"])).toBe("hostName");
  });

  it("breaks ties by the smaller name, whatever the candidate order", () => {
    expect(closest("cat", ["cut", "bat", "cot"])).toBe("bat");
    expect(closest("cat", ["cot", "cut", "bat"])).toBe("bat");
    expect(closest("cat", ["bat", "cot", "cut"])).toBe("bat");
  });

  it("prefers the smaller distance over the smaller name", () => {
    expect(closest("webroot", ["aebrooo", "webroo"])).toBe("webroo");
  });
});

describe("oneLine", () => {
  it("turns every line break PowerShell honours into a space, so a # comment cannot end early", () => {
    expect(oneLine("a\r\nb\nc\rd\u0085e\u2028f\u2029g")).toBe("a b c d e f g");
    expect(oneLine("no breaks\there")).toBe("no breaks\there");
  });
});
