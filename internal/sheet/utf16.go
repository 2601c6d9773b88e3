package sheet

import (
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// utf16Strict is UTF-16 whose decoder marks an unpaired surrogate with a
// byte that is not UTF-8 (0xFF) instead of replacing it with U+FFFD, as
// golang.org/x/text does: the row holding it is then refused like invalid
// UTF-8, instead of a broken character being stored as if it were text. A
// byte-order mark at the start is dropped, and one of the other order
// switches to it.
type utf16Strict struct{ bigEndian bool }

var (
	utf16LE encoding.Encoding = utf16Strict{false}
	utf16BE encoding.Encoding = utf16Strict{true}
)

// brokenUTF16 is what an unpaired surrogate (or a lone last byte) decodes to.
const brokenUTF16 = 0xFF

func (e utf16Strict) NewDecoder() *encoding.Decoder {
	return &encoding.Decoder{Transformer: &utf16Decoder{bigEndian: e.bigEndian, start: true}}
}

func (e utf16Strict) NewEncoder() *encoding.Encoder {
	order := unicode.LittleEndian
	if e.bigEndian {
		order = unicode.BigEndian
	}
	return unicode.UTF16(order, unicode.IgnoreBOM).NewEncoder()
}

type utf16Decoder struct {
	bigEndian, start bool
}

func (d *utf16Decoder) Reset() { d.start = true }

func (d *utf16Decoder) unit(b []byte) rune {
	if d.bigEndian {
		return rune(b[0])<<8 | rune(b[1])
	}
	return rune(b[1])<<8 | rune(b[0])
}

func (d *utf16Decoder) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		if len(src)-nSrc < 2 {
			if !atEOF {
				return nDst, nSrc, transform.ErrShortSrc
			}
			if nDst >= len(dst) {
				return nDst, nSrc, transform.ErrShortDst
			}
			dst[nDst] = brokenUTF16 // an odd last byte
			nDst++
			nSrc++
			continue
		}
		u := d.unit(src[nSrc:])
		if d.start {
			d.start = false
			switch u {
			case 0xFEFF:
				nSrc += 2
				continue
			case 0xFFFE:
				d.bigEndian = !d.bigEndian
				nSrc += 2
				continue
			}
		}
		r, size := u, 2
		if utf16.IsSurrogate(u) {
			r = -1
			if u < 0xDC00 { // a high surrogate: a low one must follow
				if len(src)-nSrc < 4 && !atEOF {
					return nDst, nSrc, transform.ErrShortSrc
				}
				if len(src)-nSrc >= 4 {
					if low := d.unit(src[nSrc+2:]); low >= 0xDC00 && low < 0xE000 {
						r, size = utf16.DecodeRune(u, low), 4
					}
				}
			}
		}
		if r < 0 {
			if nDst >= len(dst) {
				return nDst, nSrc, transform.ErrShortDst
			}
			dst[nDst] = brokenUTF16
			nDst++
			nSrc += 2
			continue
		}
		if len(dst)-nDst < utf8.RuneLen(r) {
			return nDst, nSrc, transform.ErrShortDst
		}
		nDst += utf8.EncodeRune(dst[nDst:], r)
		nSrc += size
	}
	return nDst, nSrc, nil
}
