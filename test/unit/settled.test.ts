// settled(): an author's options read once, as plain data, while the author's file is evaluated.
import { describe, expect, it } from "vitest";
import { brand, KIND, settled } from "../../stdlib/api/brand.js";

describe("settled", () => {
  it("runs every getter now, however deep, and later reads see the value it gave then", () => {
    let reads = 0;
    const options = { stack: { logs: { get retentionDays(): number { return 30 + reads++; } } }, list: [{ get name(): string { return `n${reads++}`; } }] };
    const copy = settled(options);
    expect(reads).toBe(2);
    expect(copy).toEqual({ stack: { logs: { retentionDays: 30 } }, list: [{ name: "n1" }] });
    expect(copy.stack.logs.retentionDays).toBe(30);
    expect(reads).toBe(2);
    expect(Object.getOwnPropertyDescriptor(copy.stack.logs, "retentionDays")?.get).toBeUndefined();
  });

  it("throws a getter's error from the settling call (the author's evaluation)", () => {
    const options = { stack: { get logs(): never { throw new Error("not known yet"); } } };
    expect(() => settled(options)).toThrow("not known yet");
  });

  it("keeps what the API made, functions, RegExps and class instances as they are; copies plain objects and arrays", () => {
    const made = brand("fragment", { strings: ["x"], values: [] });
    const fn = (): number => 1;
    const pattern = /^a$/;
    class Point { constructor(readonly x: number) {} }
    const point = new Point(1);
    const inner = { a: 1 };
    const options = { made, fn, pattern, point, inner, list: [inner] };
    const copy = settled(options);
    expect(copy.made).toBe(made);
    expect((copy.made as { [KIND]: string })[KIND]).toBe("fragment");
    expect(copy.fn).toBe(fn);
    expect(copy.pattern).toBe(pattern);
    expect(copy.point).toBe(point);
    expect(copy.inner).not.toBe(inner);
    expect(copy.inner).toEqual(inner);
    // Shared parts stay shared.
    expect(copy.list[0]).toBe(copy.inner);
  });

  it("copies cycles and keeps holes", () => {
    const cyclic: { self?: unknown; list: unknown[] } = { list: [1, , 3] };
    cyclic.self = cyclic;
    const copy = settled(cyclic);
    expect(copy.self).toBe(copy);
    expect(copy.list).toHaveLength(3);
    expect(1 in copy.list).toBe(false);
    expect(copy.list[2]).toBe(3);
  });

  it("copies objects without a prototype, and only own enumerable properties", () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare.a = 1;
    Object.defineProperty(bare, "hidden", { value: 2, enumerable: false });
    const copy = settled({ bare });
    expect(copy.bare).not.toBe(bare);
    expect(Object.keys(copy.bare)).toEqual(["a"]);
  });
});
