//! Turning the bytes of a text file into a `String`: UTF-8 (with or without BOM), UTF-16
//! with BOM, or GBK/GB18030 as saved by Chinese Windows. Decoding is strict: a byte sequence
//! that is valid in none of these is an error, never a silent U+FFFD.

use encoding_rs::{Encoding, GB18030, UTF_8};

/// Which encoding a text was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf16,
    Gb18030,
}

/// Why the bytes are not text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotText {
    /// Offset of the first byte that is valid in no supported encoding (as UTF-8).
    pub byte: usize,
}

/// Decode `bytes`: BOM first, then strict UTF-8, then strict GB18030.
pub fn decode(bytes: &[u8]) -> Result<(String, TextEncoding), NotText> {
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom..];
        let kind = if enc == UTF_8 { TextEncoding::Utf8 } else { TextEncoding::Utf16 };
        return enc
            .decode_without_bom_handling_and_without_replacement(body)
            .map(|s| (s.into_owned(), kind))
            .ok_or(NotText { byte: bom });
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((s.to_owned(), TextEncoding::Utf8)),
        Err(e) => GB18030
            .decode_without_bom_handling_and_without_replacement(bytes)
            .map(|s| (s.into_owned(), TextEncoding::Gb18030))
            .ok_or(NotText { byte: e.valid_up_to() }),
    }
}

/// Decode as UTF-8 only (TOML files must be UTF-8); a UTF-8 BOM is dropped.
pub fn decode_utf8(bytes: &[u8]) -> Result<String, NotText> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(body).map(str::to_owned).map_err(|e| NotText { byte: e.valid_up_to() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_gbk_utf8_bom_and_utf16() {
        let (gbk, _, _) = GB18030.encode("姓名,得分");
        assert_eq!(decode(&gbk).unwrap(), ("姓名,得分".to_string(), TextEncoding::Gb18030));
        assert_eq!(decode("\u{feff}名称".as_bytes()).unwrap().0, "名称");
        let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain("编号".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(decode(&utf16).unwrap(), ("编号".to_string(), TextEncoding::Utf16));
        assert!(decode(&[0x81, 0x20, 0xFF]).is_err());
    }
}
