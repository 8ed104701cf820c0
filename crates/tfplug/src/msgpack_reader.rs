//! A minimal msgpack tokenizer over untrusted bytes: one token at a time, lengths checked
//! against the bytes that remain, extension payloads skipped. Never panics, never allocates.
//! The marker families are `rmp`'s; what stays here is the zero-copy token shape the cty
//! decoder walks (borrowed strings, element counts, extensions skipped whole).

use rmp::Marker;

/// One msgpack item; arrays and maps give only their element count, the elements follow.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Token<'a> {
    Nil,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(&'a [u8]),
    Bin(&'a [u8]),
    Array(usize),
    Map(usize),
    /// Any extension; cty uses them only for unknown values, so type and payload are skipped.
    Ext,
}

impl Token<'_> {
    /// The msgpack kind, as error messages name it.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Token::Nil => "nil",
            Token::Bool(_) => "bool",
            Token::Int(_) | Token::Uint(_) => "integer",
            Token::Float(_) => "float",
            Token::Str(_) => "string",
            Token::Bin(_) => "binary",
            Token::Array(_) => "array",
            Token::Map(_) => "map",
            Token::Ext => "extension",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReadError {
    Truncated,
    /// 0xc1, which msgpack never uses.
    Reserved,
}

pub(crate) struct Reader<'a> {
    input: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(input: &'a [u8]) -> Self {
        Reader { input, pos: 0 }
    }

    pub(crate) fn remaining(&self) -> usize {
        self.input.len().saturating_sub(self.pos)
    }

    pub(crate) fn next(&mut self) -> Result<Token<'a>, ReadError> {
        let marker = Marker::from_u8(self.take_array::<1>()?[0]);
        Ok(match marker {
            Marker::FixPos(n) => Token::Int(i64::from(n)),
            Marker::FixNeg(n) => Token::Int(i64::from(n)),
            Marker::FixMap(len) => Token::Map(usize::from(len)),
            Marker::FixArray(len) => Token::Array(usize::from(len)),
            Marker::FixStr(len) => Token::Str(self.take(usize::from(len))?),
            Marker::Null => Token::Nil,
            Marker::Reserved => return Err(ReadError::Reserved),
            Marker::False => Token::Bool(false),
            Marker::True => Token::Bool(true),
            Marker::Bin8 | Marker::Bin16 | Marker::Bin32 => {
                let len = self.len(marker)?;
                Token::Bin(self.take(len)?)
            }
            Marker::Str8 | Marker::Str16 | Marker::Str32 => {
                let len = self.len(marker)?;
                Token::Str(self.take(len)?)
            }
            Marker::Array16 | Marker::Array32 => Token::Array(self.len(marker)?),
            Marker::Map16 | Marker::Map32 => Token::Map(self.len(marker)?),
            Marker::Ext8 | Marker::Ext16 | Marker::Ext32 => {
                let len = self.len(marker)?;
                self.skip_ext(len)?
            }
            Marker::FixExt1 => self.skip_ext(1)?,
            Marker::FixExt2 => self.skip_ext(2)?,
            Marker::FixExt4 => self.skip_ext(4)?,
            Marker::FixExt8 => self.skip_ext(8)?,
            Marker::FixExt16 => self.skip_ext(16)?,
            Marker::F32 => Token::Float(f64::from(f32::from_be_bytes(self.take_array()?))),
            Marker::F64 => Token::Float(f64::from_be_bytes(self.take_array()?)),
            Marker::U8 => Token::Uint(u64::from(self.take_array::<1>()?[0])),
            Marker::U16 => Token::Uint(u64::from(u16::from_be_bytes(self.take_array()?))),
            Marker::U32 => Token::Uint(u64::from(u32::from_be_bytes(self.take_array()?))),
            Marker::U64 => Token::Uint(u64::from_be_bytes(self.take_array()?)),
            Marker::I8 => Token::Int(i64::from(i8::from_be_bytes(self.take_array()?))),
            Marker::I16 => Token::Int(i64::from(i16::from_be_bytes(self.take_array()?))),
            Marker::I32 => Token::Int(i64::from(i32::from_be_bytes(self.take_array()?))),
            Marker::I64 => Token::Int(i64::from_be_bytes(self.take_array()?)),
        })
    }

    /// Skips an extension's type byte and its `len` payload bytes.
    fn skip_ext(&mut self, len: usize) -> Result<Token<'a>, ReadError> {
        self.take(1)?;
        self.take(len)?;
        Ok(Token::Ext)
    }

    /// The length field that follows a sized marker: 8, 16 or 32 bits by family member.
    fn len(&mut self, marker: Marker) -> Result<usize, ReadError> {
        match marker {
            Marker::Bin8 | Marker::Str8 | Marker::Ext8 => Ok(usize::from(self.take_array::<1>()?[0])),
            Marker::Bin16 | Marker::Str16 | Marker::Ext16 | Marker::Array16 | Marker::Map16 => {
                Ok(usize::from(u16::from_be_bytes(self.take_array()?)))
            }
            _ => usize::try_from(u32::from_be_bytes(self.take_array()?)).map_err(|_| ReadError::Truncated),
        }
    }

    fn take(&mut self, len: usize) -> Result<&'a [u8], ReadError> {
        let end = self.pos.checked_add(len).ok_or(ReadError::Truncated)?;
        let bytes = self.input.get(self.pos..end).ok_or(ReadError::Truncated)?;
        self.pos = end;
        Ok(bytes)
    }

    fn take_array<const N: usize>(&mut self) -> Result<[u8; N], ReadError> {
        let bytes = self.take(N)?;
        bytes.try_into().map_err(|_| ReadError::Truncated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(bytes: &[u8]) -> Vec<Result<Token<'_>, ReadError>> {
        let mut reader = Reader::new(bytes);
        let mut out = Vec::new();
        while reader.remaining() > 0 {
            let token = reader.next();
            let stop = token.is_err();
            out.push(token);
            if stop {
                break;
            }
        }
        out
    }

    #[test]
    fn reads_every_family() {
        let bytes = [
            0x05, 0xff, 0xcc, 0xc8, 0xd1, 0xff, 0x38, 0xa2, b'h', b'i', 0xc4, 0x01, 0x07, 0x92, 0x81, 0xc0,
            0xc3, 0xcb, 0x3f, 0xe0, 0, 0, 0, 0, 0, 0, 0xd4, 0, 0, 0xc7, 0x02, 0x0c, 0x81, 0x01,
        ];
        assert_eq!(
            tokens(&bytes),
            vec![
                Ok(Token::Int(5)),
                Ok(Token::Int(-1)),
                Ok(Token::Uint(200)),
                Ok(Token::Int(-200)),
                Ok(Token::Str(b"hi")),
                Ok(Token::Bin(&[7])),
                Ok(Token::Array(2)),
                Ok(Token::Map(1)),
                Ok(Token::Nil),
                Ok(Token::Bool(true)),
                Ok(Token::Float(0.5)),
                Ok(Token::Ext),
                Ok(Token::Ext),
            ]
        );
    }

    #[test]
    fn rejects_truncated_and_reserved_input() {
        assert_eq!(tokens(&[0xa5, b'a']), vec![Err(ReadError::Truncated)]);
        assert_eq!(
            tokens(&[0xdb, 0xff, 0xff, 0xff, 0xff]),
            vec![Err(ReadError::Truncated)]
        );
        assert_eq!(
            tokens(&[0xc9, 0xff, 0xff, 0xff, 0xff, 0]),
            vec![Err(ReadError::Truncated)]
        );
        assert_eq!(tokens(&[0xcb, 0x3f]), vec![Err(ReadError::Truncated)]);
        assert_eq!(tokens(&[0xc1]), vec![Err(ReadError::Reserved)]);
    }
}
