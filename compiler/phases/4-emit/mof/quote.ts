// MOF value printing. Windows PowerShell 5.1 (ConvertTo-MOFInstance) escapes only `\`, line breaks
// and `"`; we do the same so output stays byte-faithful, and additionally escape what it would
// corrupt or write unreadably: a CR is `\r` (DSC folds CRLF into `\n`, losing the CR), other control
// characters and lone surrogates are `\xHHHHHH` (six digits, so a following hex digit cannot
// extend the escape under MOF 3's 1 to 6; a MOF 2 reader takes 1 to 4, so the check refuses these
// in property values, FF4003, and this stays only as a second line). TAB stays raw, as DSC writes it.

export function quoteMofString(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    const code = value.charCodeAt(i);
    if (ch === "\\") out += "\\\\";
    else if (ch === '"') out += '\\"';
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(value.charCodeAt(i + 1))) {
      out += ch + value[i + 1];
      i++;
    } else if ((code < 0x20 && code !== 0x09) || code === 0x7f || (code >= 0xd800 && code <= 0xdfff)) {
      out += "\\x" + code.toString(16).toUpperCase().padStart(6, "0");
    } else out += ch;
  }
  return out + '"';
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
