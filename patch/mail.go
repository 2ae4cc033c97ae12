package patch

import (
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"strings"
)

// segment is one message of the input (a mail, an mbox entry, a commit of
// "git log -p" output, or the whole input when it has no header).
type segment struct {
	lines []line
	eof   bool // the segment runs to the end of the input
}

type header struct {
	key, val string // key in lower case
	n        int
}

// splitMessages cuts the input at mbox "From " lines and at "commit <sha>"
// lines of git log output.
func (ps *parser) splitMessages(lines []line) []segment {
	var segs []segment
	start := 0
	for i := range lines {
		if i > start && lines[i-1].s == "" && (isFromLine(lines, i) || isCommitLine(lines, i)) {
			segs = append(segs, segment{lines: lines[start:i]})
			start = i
		}
	}
	if start < len(lines) {
		segs = append(segs, segment{lines: lines[start:], eof: true})
	}
	return segs
}

func isFromLine(lines []line, i int) bool {
	return strings.HasPrefix(lines[i].s, "From ") && i+1 < len(lines) && isHeaderLine(lines[i+1].s)
}

func isCommitLine(lines []line, i int) bool {
	s := lines[i].s
	if !strings.HasPrefix(s, "commit ") || i+1 >= len(lines) {
		return false
	}
	sha, _, _ := strings.Cut(s[7:], " ")
	if len(sha) < 7 || len(sha) > 64 {
		return false
	}
	for _, c := range []byte(sha) {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	n := lines[i+1].s
	return strings.HasPrefix(n, "Author:") || strings.HasPrefix(n, "Merge:")
}

// isHeaderLine reports whether s looks like "Key: value".
func isHeaderLine(s string) bool {
	k, _, ok := strings.Cut(s, ":")
	if !ok || k == "" || len(k) > 76 {
		return false
	}
	for _, c := range []byte(k) {
		if c <= ' ' || c >= 0x7f {
			return false
		}
	}
	return true
}

var knownHeaders = map[string]bool{
	"from": true, "to": true, "cc": true, "subject": true, "date": true,
	"message-id": true, "in-reply-to": true, "references": true,
	"received": true, "return-path": true, "delivered-to": true,
	"reply-to": true, "sender": true, "mime-version": true,
	"content-type": true, "content-transfer-encoding": true,
	"user-agent": true, "precedence": true, "envelope-to": true,
	"dkim-signature": true, "authentication-results": true,
	"thread-topic": true, "thread-index": true, "content-language": true,
	"accept-language": true, "organization": true, "bcc": true,
}

func isMailHeaderStart(s string) bool {
	if !isHeaderLine(s) {
		return false
	}
	k, _, _ := strings.Cut(s, ":")
	k = strings.ToLower(k)
	return knownHeaders[k] || strings.HasPrefix(k, "x-") || strings.HasPrefix(k, "list-") || strings.HasPrefix(k, "arc-")
}

// parseHeaders reads an RFC 5322 header block and returns the index of the
// first body line (after the blank line).
func parseHeaders(lines []line) ([]header, int) {
	var hs []header
	cont := map[int][]string{} // folded continuation lines, joined at the end
	unfold := func() []header {
		for k, c := range cont {
			hs[k].val = strings.Join(append([]string{hs[k].val}, c...), " ")
		}
		return hs
	}
	i := 0
	for ; i < len(lines); i++ {
		s := lines[i].s
		if s == "" {
			return unfold(), i + 1
		}
		if (s[0] == ' ' || s[0] == '\t') && len(hs) > 0 {
			cont[len(hs)-1] = append(cont[len(hs)-1], strings.TrimSpace(s))
			continue
		}
		k, v, ok := strings.Cut(s, ":")
		if !ok || !isHeaderLine(s) {
			return unfold(), i
		}
		hs = append(hs, header{strings.ToLower(k), strings.TrimSpace(v), lines[i].n})
	}
	return unfold(), i
}

func headerValue(hs []header, key string) string {
	for _, h := range hs {
		if h.key == key {
			return h.val
		}
	}
	return ""
}

var wordDecoder = &mime.WordDecoder{CharsetReader: func(charset string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(charset) {
	case "iso-8859-1", "latin1", "iso-8859-15", "windows-1252", "us-ascii":
		b, err := io.ReadAll(r)
		if err != nil {
			return nil, err
		}
		rs := make([]rune, len(b))
		for i, c := range b {
			rs[i] = rune(c)
		}
		return strings.NewReader(string(rs)), nil
	}
	return nil, fmt.Errorf("unknown charset %s", charset)
}}

func decodeWords(s string) string {
	if d, err := wordDecoder.DecodeHeader(s); err == nil {
		return d
	}
	return s
}

// parseSegment reads one message: its header, its MIME parts, and the
// diffs in them. It returns nil when the message holds no diff.
func (ps *parser) parseSegment(seg segment) (*Patch, error) {
	lines := seg.lines
	pt := &Patch{Source: ps.name, Line: lines[0].n}
	hadHeader := true
	var ctype, cte string
	body := lines
	switch {
	case isFromLine(lines, 0) || isMailHeaderStart(lines[0].s):
		k := 0
		if strings.HasPrefix(lines[0].s, "From ") && !strings.HasPrefix(lines[0].s, "From:") {
			k = 1
		}
		hs, b := parseHeaders(lines[k:])
		body = lines[k+b:]
		pt.Subject = decodeWords(headerValue(hs, "subject"))
		pt.Author = decodeWords(headerValue(hs, "from"))
		ctype, cte = headerValue(hs, "content-type"), headerValue(hs, "content-transfer-encoding")
	case isCommitLine(lines, 0):
		hs, b := parseHeaders(lines[1:])
		pt.Author = headerValue(hs, "author")
		body = lines[1+b:]
		for _, l := range body {
			if t := strings.TrimSpace(l.s); t != "" {
				pt.Subject = t
				break
			}
		}
	case webArchiveHeader(lines):
		pt.Subject = strings.TrimSpace(lines[0].s)
		for _, l := range lines[1:min(len(lines), 6)] {
			if v, ok := strings.CutPrefix(l.s, "From: "); ok {
				pt.Author = strings.TrimSpace(v)
			}
		}
	default:
		hadHeader = false
	}
	chunks, err := ps.mimeChunks(ctype, cte, body, 0)
	if err != nil {
		return nil, err
	}
	for ci, ch := range chunks {
		if ci == 0 {
			ps.inBodyHeaders(pt, ch)
		}
		eof := seg.eof && len(ch) > 0 && ch[len(ch)-1].n == ps.total
		if err := ps.parseDiff(pt, ch, eof); err != nil {
			return nil, err
		}
	}
	if len(pt.Files) == 0 {
		return nil, nil
	}
	pt.Notes = append(pt.Notes, ps.notes...)
	ps.notes = nil
	if !hadHeader {
		pt.Line = pt.Files[0].Line
	}
	return pt, nil
}

// webArchiveHeader recognises a mail as a list archive renders it: a title
// line, then "From:" and "Date:" lines.
func webArchiveHeader(lines []line) bool {
	if len(lines) < 3 || strings.TrimSpace(lines[0].s) == "" || isHeaderLine(lines[0].s) && !strings.HasPrefix(lines[0].s, "Re:") {
		return false
	}
	from, date := false, false
	for _, l := range lines[1:min(len(lines), 6)] {
		from = from || strings.HasPrefix(l.s, "From: ")
		date = date || strings.HasPrefix(l.s, "Date: ")
	}
	return from && date
}

// inBodyHeaders applies "From:"/"Subject:" lines at the top of the body, as
// git am does.
func (ps *parser) inBodyHeaders(pt *Patch, body []line) {
	i := 0
	for i < len(body) && strings.TrimSpace(body[i].s) == "" {
		i++
	}
	for ; i < len(body); i++ {
		s := body[i].s
		switch {
		case strings.HasPrefix(s, "From: "):
			pt.Author = decodeWords(strings.TrimSpace(s[6:]))
		case strings.HasPrefix(s, "Subject: "):
			pt.Subject = decodeWords(strings.TrimSpace(s[9:]))
		case strings.HasPrefix(s, "Date: "):
		default:
			return
		}
	}
}

// maxMIMEDepth bounds the nesting of multipart bodies. Mailers nest two
// or three deep; past the bound the parts are not read, and saying "no
// diff found" would pass an unread patch for none.
const maxMIMEDepth = 8

// mimeChunks returns the text parts of a body, decoded, each as lines that
// keep the input line they came from.
func (ps *parser) mimeChunks(ctype, cte string, body []line, depth int) ([][]line, error) {
	mt, params, err := mime.ParseMediaType(ctype)
	if ctype == "" || err != nil {
		mt = "text/plain"
	}
	if strings.HasPrefix(mt, "multipart/") && params["boundary"] != "" {
		if depth >= maxMIMEDepth {
			n := ps.total
			if len(body) > 0 {
				n = body[0].n
			}
			return nil, ps.errf(n, "MIME multipart parts nested more than %d deep; not read", maxMIMEDepth)
		}
		return ps.multipart(params["boundary"], body, depth)
	}
	if !isPatchType(mt, params) {
		return nil, nil
	}
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "quoted-printable":
		body = qpDecode(body)
	case "base64":
		dec, ok := ps.b64Decode(body)
		if !ok {
			return nil, nil
		}
		body = dec
	}
	return [][]line{body}, nil
}

func isPatchType(mt string, params map[string]string) bool {
	switch {
	case strings.HasPrefix(mt, "text/"), mt == "message/rfc822",
		mt == "application/x-patch", mt == "application/x-diff", mt == "application/patch":
		return mt != "text/html"
	case mt == "application/octet-stream":
		n := strings.ToLower(params["name"])
		return strings.HasSuffix(n, ".patch") || strings.HasSuffix(n, ".diff")
	}
	return false
}

func (ps *parser) multipart(boundary string, body []line, depth int) ([][]line, error) {
	delim := "--" + boundary
	var chunks [][]line
	var part []line
	in := false
	var firstErr error
	flush := func() {
		if in && len(part) > 0 && firstErr == nil {
			hs, b := parseHeaders(part)
			ct := headerValue(hs, "content-type")
			if ct == "" {
				ct = "text/plain"
			}
			cd := headerValue(hs, "content-disposition")
			if _, p, err := mime.ParseMediaType(cd); err == nil && p["filename"] != "" {
				// Attachments named *.patch are patches whatever their type.
				if n := strings.ToLower(p["filename"]); strings.HasSuffix(n, ".patch") || strings.HasSuffix(n, ".diff") {
					if mt, _, _ := mime.ParseMediaType(ct); mt == "application/octet-stream" {
						ct = "text/x-patch"
					}
				}
			}
			sub, err := ps.mimeChunks(ct, headerValue(hs, "content-transfer-encoding"), part[b:], depth+1)
			firstErr = err
			chunks = append(chunks, sub...)
		}
		part = nil
	}
	for _, l := range body {
		s := strings.TrimRight(l.s, " \t")
		if strings.HasPrefix(s, delim) && (len(s) == len(delim) || s[len(delim):] == "--") {
			flush()
			in = s == delim
			continue
		}
		if in {
			part = append(part, l)
		}
	}
	flush()
	return chunks, firstErr
}

// qpDecode decodes quoted-printable lines; a line joined from soft breaks
// keeps the number of its first input line.
func qpDecode(body []line) []line {
	var out []line
	var buf []byte
	start, pending := 0, false
	for _, l := range body {
		if !pending {
			start = l.n
		}
		s := l.s
		soft := strings.HasSuffix(s, "=")
		if soft {
			s = s[:len(s)-1]
		}
		for i := 0; i < len(s); i++ {
			if s[i] == '=' && i+2 < len(s)+0 && isHex(s[i+1]) && isHex(s[i+2]) {
				buf = append(buf, unhex(s[i+1])<<4|unhex(s[i+2]))
				i += 2
				continue
			}
			buf = append(buf, s[i])
		}
		if soft {
			pending = true
			continue
		}
		pending = false
		out = appendDecoded(out, buf, start)
		buf = buf[:0]
	}
	if pending {
		out = appendDecoded(out, buf, start)
	}
	return out
}

func appendDecoded(out []line, b []byte, n int) []line {
	for _, l := range splitLines(string(b), n) {
		out = append(out, line{l.s, n})
	}
	if len(b) == 0 {
		out = append(out, line{"", n})
	}
	return out
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'F' || c >= 'a' && c <= 'f'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

func (ps *parser) b64Decode(body []line) ([]line, bool) {
	if len(body) == 0 {
		return nil, true
	}
	var sb strings.Builder
	for _, l := range body {
		sb.WriteString(strings.TrimSpace(l.s))
	}
	enc := sb.String()
	dec, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		dec, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(enc, "="))
	}
	n := body[0].n
	if err != nil {
		ps.notef(n, "undecodable base64 part skipped: %v", err)
		return nil, false
	}
	if _, bad := binaryLine(dec); bad {
		ps.notef(n, "binary attachment skipped")
		return nil, false
	}
	return appendDecoded(nil, dec, n), true
}
