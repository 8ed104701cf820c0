//! A minimal msgpack tokenizer over untrusted bytes: one token at a time, lengths checked
//! against the bytes that remain, extension payloads skipped. Never panics, never allocates.

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
        let marker = self.take_array::<1>()?[0];
        Ok(match marker {
            0x00..=0x7f => Token::Int(i64::from(marker)),
            0x80..=0x8f => Token::Map(usize::from(marker & 0x0f)),
            0x90..=0x9f => Token::Array(usize::from(marker & 0x0f)),
            0xa0..=0xbf => Token::Str(self.take(usize::from(marker & 0x1f))?),
            0xc0 => Token::Nil,
            0xc1 => return Err(ReadError::Reserved),
            0xc2 => Token::Bool(false),
            0xc3 => Token::Bool(true),
            0xc4 => {
                let len = self.len8()?;
                Token::Bin(self.take(len)?)
            }
            0xc5 => {
                let len = self.len16()?;
                Token::Bin(self.take(len)?)
            }
            0xc6 => {
                let len = self.len32()?;
                Token::Bin(self.take(len)?)
            }
            0xc7 => self.ext(1, 0)?,
            0xc8 => self.ext(2, 0)?,
            0xc9 => self.ext(4, 0)?,
            0xca => Token::Float(f64::from(f32::from_be_bytes(self.take_array()?))),
            0xcb => Token::Float(f64::from_be_bytes(self.take_array()?)),
            0xcc => Token::Uint(u64::from(self.take_array::<1>()?[0])),
            0xcd => Token::Uint(u64::from(u16::from_be_bytes(self.take_array()?))),
            0xce => Token::Uint(u64::from(u32::from_be_bytes(self.take_array()?))),
            0xcf => Token::Uint(u64::from_be_bytes(self.take_array()?)),
            0xd0 => Token::Int(i64::from(i8::from_be_bytes(self.take_array()?))),
            0xd1 => Token::Int(i64::from(i16::from_be_bytes(self.take_array()?))),
            0xd2 => Token::Int(i64::from(i32::from_be_bytes(self.take_array()?))),
            0xd3 => Token::Int(i64::from_be_bytes(self.take_array()?)),
            0xd4 => self.ext(0, 1)?,
            0xd5 => self.ext(0, 2)?,
            0xd6 => self.ext(0, 4)?,
            0xd7 => self.ext(0, 8)?,
            0xd8 => self.ext(0, 16)?,
            0xd9 => {
                let len = self.len8()?;
                Token::Str(self.take(len)?)
            }
            0xda => {
                let len = self.len16()?;
                Token::Str(self.take(len)?)
            }
            0xdb => {
                let len = self.len32()?;
                Token::Str(self.take(len)?)
            }
            0xdc => Token::Array(self.len16()?),
            0xdd => Token::Array(self.len32()?),
            0xde => Token::Map(self.len16()?),
            0xdf => Token::Map(self.len32()?),
            0xe0..=0xff => Token::Int(i64::from(i8::from_be_bytes([marker]))),
        })
    }

    /// Skips an extension: a length field of `len_bytes` (0 for fixext), the type byte, then the
    /// payload (`fixed_len` bytes for fixext).
    fn ext(&mut self, len_bytes: usize, fixed_len: usize) -> Result<Token<'a>, ReadError> {
        let len = match len_bytes {
            1 => self.len8()?,
            2 => self.len16()?,
            4 => self.len32()?,
            _ => fixed_len,
        };
        self.take(1)?;
        self.take(len)?;
        Ok(Token::Ext)
    }

    fn len8(&mut self) -> Result<usize, ReadError> {
        Ok(usize::from(self.take_array::<1>()?[0]))
    }

    fn len16(&mut self) -> Result<usize, ReadError> {
        Ok(usize::from(u16::from_be_bytes(self.take_array()?)))
    }

    fn len32(&mut self) -> Result<usize, ReadError> {
        usize::try_from(u32::from_be_bytes(self.take_array()?)).map_err(|_| ReadError::Truncated)
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
