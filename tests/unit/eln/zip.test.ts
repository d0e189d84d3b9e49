/**
 * Reading untrusted zips for .eln imports: members outside the root refused by name before anything is inflated,
 * symlinks and encryption refused, the member count and declared sizes capped, and a zip bomb stopped while it
 * inflates even when it lies about its size.
 */
import { describe, expect, it } from "vitest";
import { strToU8 } from "fflate";
import { ElnError } from "@/lib/eln/model";
import { crc32, inflateBudget, listMembers, readMember, safeMemberPath, writeZip } from "@/lib/eln/zip";
import { archiveWith, lieAboutSize, lyingBomb, zip } from "./archives";

const refused = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ElnError);
    return error as ElnError;
  }
  throw new Error("expected an ElnError");
};

describe("safeMemberPath", () => {
  it("keeps paths inside the archive, normalized", () => {
    expect(safeMemberPath("root/a b/c.txt")).toBe("root/a b/c.txt");
    expect(safeMemberPath("root//exp/./x.jpg")).toBe("root/exp/x.jpg"); // eLabFTW writes "//"
    expect(safeMemberPath("root\\exp\\x.jpg")).toBe("root/exp/x.jpg");
  });

  it("refuses parent segments, absolute paths and control characters", () => {
    for (const bad of ["root/../../etc/passwd", "../x", "root\\..\\..\\x", "/etc/passwd", "C:\\Windows\\x", "c:/x", "root/a\u0000b"]) {
      expect(refused(() => safeMemberPath(bad)).code).toBe("unsafe_path");
    }
  });
});

describe("listMembers", () => {
  it("lists what a zip tool wrote, with sizes and CRCs, directories marked", () => {
    const bytes = zip({ "root/": new Uint8Array(0), "root/a.txt": "hello", "root/sub/b.txt": "world!" });
    const members = listMembers(bytes);
    expect(members.map((m) => [m.path, m.directory, m.size])).toEqual([
      ["root", true, 0],
      ["root/a.txt", false, 5],
      ["root/sub/b.txt", false, 6],
    ]);
    expect(members[1]!.crc32).toBe(crc32(strToU8("hello")));
  });

  it("refuses a member whose name climbs out of the archive (../) before reading anything", () => {
    const error = refused(() => listMembers(archiveWith({ "test/../../evil.sh": "rm -rf /" })));
    expect(error.code).toBe("unsafe_path");
    expect(error.message).toMatch(/outside the archive/);
  });

  it("refuses an absolute path and a symbolic link", () => {
    expect(refused(() => listMembers(archiveWith({ "/etc/cron.d/x": "x" }))).code).toBe("unsafe_path");
    const link = archiveWith({ "test/exp/link": [strToU8("/etc/passwd"), { os: 3, attrs: (0o120777 << 16) >>> 0 }] });
    const error = refused(() => listMembers(link));
    expect(error.code).toBe("unsafe_path");
    expect(error.message).toMatch(/symbolic link/);
  });

  it("refuses too many members and declared sizes over the caps, before inflating", () => {
    const many = zip(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`root/f${i}.txt`, "x"])));
    expect(refused(() => listMembers(many, { members: 20, totalBytes: 1e9, memberBytes: 1e9 })).code).toBe("zip_bomb");
    const huge = lieAboutSize(archiveWith(), "test/exp/data.txt", 300 * 1024 * 1024);
    const error = refused(() => listMembers(huge));
    expect(error.code).toBe("zip_bomb");
    expect(error.message).toMatch(/would inflate to 300 MB/);
    const total = zip({ "root/a": new Uint8Array(600), "root/b": new Uint8Array(600) });
    expect(refused(() => listMembers(total, { members: 10, totalBytes: 1000, memberBytes: 1000 })).message).toMatch(/more than/);
  });

  it("refuses what is not a zip, and an encrypted member", () => {
    expect(refused(() => listMembers(strToU8("PK? not really a zip file at all, no directory"))).code).toBe("not_zip");
    const bytes = archiveWith();
    // Set the "encrypted" flag of every member (local and central headers).
    for (let at = 0; at + 8 < bytes.length; at++) {
      const sig = bytes[at] === 0x50 && bytes[at + 1] === 0x4b;
      if (sig && bytes[at + 2] === 1 && bytes[at + 3] === 2) bytes[at + 8] = bytes[at + 8]! | 1;
    }
    expect(refused(() => listMembers(bytes)).code).toBe("encrypted");
  });
});

describe("readMember", () => {
  it("inflates a member and checks its CRC", () => {
    const bytes = zip({ "root/a.txt": "hello hello hello hello" });
    const [member] = listMembers(bytes);
    expect(new TextDecoder().decode(readMember(bytes, member!))).toBe("hello hello hello hello");
    const damaged = bytes.slice();
    const at = damaged.indexOf(0x50, 30) - 1; // a byte of the deflated data
    damaged[at] = damaged[at]! ^ 0xff;
    expect(() => readMember(damaged, listMembers(damaged)[0]!)).toThrow(ElnError);
  });

  it("stops a zip bomb that lies about its size as soon as it inflates past what it declared", () => {
    const bytes = lyingBomb();
    const member = listMembers(bytes).find((m) => m.path.endsWith("zeros.bin"))!;
    expect(member.size).toBe(10);
    const error = refused(() => readMember(bytes, member));
    expect(error.code).toBe("zip_bomb");
    expect(error.message).toMatch(/inflates to more than the 10 bytes it declares/);
  });

  it("keeps a running total: members together may not inflate past the archive's cap", () => {
    const bytes = zip({ "root/a": new Uint8Array(800), "root/b": new Uint8Array(800) });
    const budget = inflateBudget({ totalBytes: 1000 });
    const [a, b] = listMembers(bytes);
    readMember(bytes, a!, budget);
    expect(refused(() => readMember(bytes, b!, budget)).code).toBe("zip_bomb");
  });
});

describe("writeZip", () => {
  it("writes names as UTF-8 and reads back what it wrote", () => {
    const bytes = writeZip([
      { path: "r/ro-crate-metadata.json", data: strToU8("{}") },
      { path: "r/é/spectre µ.png", data: new Uint8Array([1, 2, 3]) },
    ]);
    const members = listMembers(bytes);
    expect(members.map((m) => m.path)).toEqual(["r/ro-crate-metadata.json", "r/é/spectre µ.png"]);
    expect([...readMember(bytes, members[1]!)]).toEqual([1, 2, 3]);
  });
});
