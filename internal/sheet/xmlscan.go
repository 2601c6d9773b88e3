package sheet

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// xmlScanner is a minimal pull tokenizer for the big, machine-written parts
// of a workbook (worksheets and the shared-string table). encoding/xml spends
// about a dozen allocations per cell on names and attributes this package
// never looks at; this scanner hands out slices of its read buffer instead,
// decodes only the text the caller asks for, and understands exactly what
// those parts contain: tags with namespace prefixes, quoted attributes,
// character and predefined entities, comments, CDATA, the XML declaration.
type xmlScanner struct {
	br      *bufio.Reader
	name    []byte // local name of the current start or end tag
	tag     []byte // the current start tag's content, for attribute lookup
	text    []byte // the current text, decoded
	scratch []byte
	afterLT bool // the '<' of the next tag has been read
	endNext bool // the current start tag closed itself: an end tag follows
}

type xmlTok int

const (
	xmlEOF xmlTok = iota
	xmlStart
	xmlEnd
	xmlText
)

var errXMLEOF = errors.New("the XML ends in the middle of a tag")

// The scanner's own limits: a text it hands out, and a tag it must hold
// whole to read its attributes. What it skips is never held.
var (
	errTextLimit = &errLimit{fmt.Sprintf("holds a text of more than %d characters, more than Excel allows in a cell", maxCellChars)}
	errTagLimit  = &errLimit{fmt.Sprintf("holds an XML tag of more than %s", sizeText(maxTagBytes))}
)

func newXMLScanner(r io.Reader) *xmlScanner {
	return &xmlScanner{br: bufio.NewReaderSize(r, 64<<10)}
}

// next reads the next token. Text is returned only when wantText is set and
// is non-empty; otherwise it is skipped without being decoded. The slices it
// sets stay valid until the following call.
func (s *xmlScanner) next(wantText bool) (xmlTok, error) {
	if s.endNext {
		s.endNext = false
		return xmlEnd, nil
	}
	for {
		if !s.afterLT {
			got, err := s.readText(wantText)
			if err == io.EOF {
				if got {
					return xmlText, nil
				}
				return xmlEOF, nil
			}
			if err != nil {
				return xmlEOF, err
			}
			s.afterLT = true
			if got {
				return xmlText, nil
			}
		}
		s.afterLT = false
		tok, err := s.readTag(wantText)
		if err != nil || tok != xmlEOF {
			return tok, err
		}
		// a comment, declaration or empty CDATA: keep going
	}
}

// eofOr is errXMLEOF for the end of the input inside markup, and any other
// read error (a limit, a cancelled context) as it is.
func eofOr(err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return errXMLEOF
	}
	return err
}

// readText consumes the text up to and including the next '<'.
func (s *xmlScanner) readText(want bool) (bool, error) {
	s.text = s.text[:0]
	for {
		chunk, err := s.br.ReadSlice('<')
		if err == nil {
			chunk = chunk[:len(chunk)-1]
		}
		if want {
			s.text = appendDecoded(s.text, chunk)
			if len(s.text) > maxCellBytes {
				return false, errTextLimit
			}
		}
		switch err {
		case nil:
			return want && len(s.text) > 0, nil
		case bufio.ErrBufferFull:
			continue
		default:
			return want && len(s.text) > 0, err
		}
	}
}

// readTag reads one markup construct after its '<'. It returns xmlEOF (and
// no error) for constructs that are not tokens.
func (s *xmlScanner) readTag(wantText bool) (xmlTok, error) {
	first, err := s.br.Peek(1)
	if err != nil {
		return xmlEOF, eofOr(err)
	}
	switch first[0] {
	case '?':
		return xmlEOF, s.skipUntil("?>")
	case '!':
		head, _ := s.br.Peek(9)
		switch {
		case bytes.HasPrefix(head, []byte("!--")):
			return xmlEOF, s.skipUntil("-->")
		case bytes.HasPrefix(head, []byte("![CDATA[")):
			s.br.Discard(len("![CDATA["))
			if !wantText {
				return xmlEOF, s.skipUntil("]]>")
			}
			data, err := s.readUntil("]]>")
			if err != nil {
				return xmlEOF, err
			}
			if len(data) > 0 {
				s.text = append(s.text[:0], data...)
				return xmlText, nil
			}
			return xmlEOF, nil
		}
		return xmlEOF, s.skipUntil(">")
	}
	tag, err := s.readTagBody()
	if err != nil {
		return xmlEOF, err
	}
	if tag[0] == '/' {
		s.name = localName(bytes.TrimSpace(tag[1:]))
		return xmlEnd, nil
	}
	if tag[len(tag)-1] == '/' {
		tag = tag[:len(tag)-1]
		s.endNext = true
	}
	s.tag = tag
	end := 0
	for end < len(tag) && !isXMLSpace(tag[end]) {
		end++
	}
	s.name = localName(tag[:end])
	if len(s.name) == 0 {
		return xmlEOF, errors.New("a tag has no name")
	}
	return xmlStart, nil
}

// readTagBody reads up to the '>' that ends a tag, skipping any '>' inside
// quoted attribute values, and returns what lies between '<' and '>'.
func (s *xmlScanner) readTagBody() ([]byte, error) {
	var (
		quote   byte
		body    []byte
		copied  bool // body lives in scratch, not in the reader's buffer
		scanned int
	)
	for {
		chunk, err := s.br.ReadSlice('>')
		if err != nil && err != bufio.ErrBufferFull {
			return nil, eofOr(err)
		}
		if body == nil && err == nil {
			body = chunk
		} else {
			if !copied {
				s.scratch = append(s.scratch[:0], body...)
				copied = true
			}
			s.scratch = append(s.scratch, chunk...)
			body = s.scratch
		}
		if len(body) > maxTagBytes {
			return nil, errTagLimit
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		for _, c := range body[scanned:] {
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			}
		}
		scanned = len(body)
		if quote == 0 {
			body = body[:len(body)-1]
			if len(body) == 0 {
				return nil, errors.New("an empty tag <>")
			}
			return body, nil
		}
		if !copied { // the next read may move the reader's buffer
			s.scratch = append(s.scratch[:0], body...)
			body, copied = s.scratch, true
		}
	}
}

// skipUntil discards input up to and including end, keeping only the last
// bytes read: a comment or CDATA section of any size costs no memory.
func (s *xmlScanner) skipUntil(end string) error {
	last := end[len(end)-1]
	var tail []byte // the last len(end) bytes read
	for {
		chunk, err := s.br.ReadSlice(last)
		tail = append(tail, chunk...)
		if len(tail) > len(end) {
			tail = append(tail[:0], tail[len(tail)-len(end):]...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			return eofOr(err)
		}
		if bytes.HasSuffix(tail, []byte(end)) {
			return nil
		}
	}
}

// readUntil returns the input up to end, consuming end; it holds at most a
// cell's worth.
func (s *xmlScanner) readUntil(end string) ([]byte, error) {
	last := end[len(end)-1]
	s.scratch = s.scratch[:0]
	for {
		chunk, err := s.br.ReadSlice(last)
		s.scratch = append(s.scratch, chunk...)
		if len(s.scratch) > maxCellBytes+len(end) {
			return nil, errTextLimit
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			return nil, eofOr(err)
		}
		if bytes.HasSuffix(s.scratch, []byte(end)) {
			return s.scratch[:len(s.scratch)-len(end)], nil
		}
	}
}

// attr returns the value of the attribute with local name key in the
// current start tag, entity-decoded when needed.
func (s *xmlScanner) attr(key string) ([]byte, bool) {
	t := s.tag
	i := 0
	for i < len(t) && !isXMLSpace(t[i]) { // the tag name
		i++
	}
	for i < len(t) {
		for i < len(t) && isXMLSpace(t[i]) {
			i++
		}
		k := i
		for i < len(t) && t[i] != '=' && !isXMLSpace(t[i]) {
			i++
		}
		name := t[k:i]
		for i < len(t) && (isXMLSpace(t[i]) || t[i] == '=') {
			i++
		}
		if i >= len(t) || (t[i] != '"' && t[i] != '\'') {
			return nil, false
		}
		q := t[i]
		i++
		v := i
		for i < len(t) && t[i] != q {
			i++
		}
		val := t[v:min(i, len(t))]
		i++
		if string(localName(name)) == key {
			if bytes.IndexByte(val, '&') >= 0 {
				return appendDecoded(nil, val), true
			}
			return val, true
		}
	}
	return nil, false
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// localName drops a namespace prefix ("x:row" -> "row"); like encoding/xml
// it keeps names with an empty prefix or local part ("a:", ":b") whole.
func localName(b []byte) []byte {
	if i := bytes.LastIndexByte(b, ':'); i > 0 && i < len(b)-1 {
		return b[i+1:]
	}
	return b
}

// appendDecoded appends raw XML text to dst with entities decoded and line
// ends normalised to LF, as an XML parser must.
func appendDecoded(dst, raw []byte) []byte {
	if bytes.IndexByte(raw, '&') < 0 && bytes.IndexByte(raw, '\r') < 0 {
		return append(dst, raw...)
	}
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch c {
		case '\r':
			if i+1 < len(raw) && raw[i+1] == '\n' {
				continue
			}
			dst = append(dst, '\n')
		case '&':
			end := bytes.IndexByte(raw[i:], ';')
			if end < 0 || end > 12 {
				dst = append(dst, c)
				continue
			}
			ent := raw[i+1 : i+end]
			if r, ok := entity(ent); ok {
				dst = utf8.AppendRune(dst, r)
				i += end
				continue
			}
			dst = append(dst, c)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// entity resolves the five predefined entities and character references;
// anything else is left as written.
func entity(e []byte) (rune, bool) {
	switch string(e) {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "quot":
		return '"', true
	case "apos":
		return '\'', true
	}
	if len(e) < 2 || e[0] != '#' {
		return 0, false
	}
	var n uint64
	var err error
	if e[1] == 'x' || e[1] == 'X' {
		n, err = strconv.ParseUint(string(e[2:]), 16, 32)
	} else {
		n, err = strconv.ParseUint(string(e[1:]), 10, 32)
	}
	if err != nil || n > utf8.MaxRune || !utf8.ValidRune(rune(n)) {
		return 0, false
	}
	return rune(n), true
}
