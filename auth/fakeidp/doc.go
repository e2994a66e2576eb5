package fakeidp

import (
	"bytes"
	"embed"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// seed holds the vendors' samples and the recorded live answers the fakes answer with (seed/README.md).
//
//go:embed seed/*.xml seed/*.json
var seed embed.FS

// Seed returns one of the files in seed/, for the parsers' tests.
func Seed(name string) []byte {
	b, err := seed.ReadFile("seed/" + name)
	if err != nil {
		panic(err)
	}
	return b
}

// node is an element of an OnSIP document. The same tree renders as OnSIP's XML (indented two
// spaces, as its samples are) or as its JSON (every value a string, an empty element {}, a
// repeated element an array); rendering a sample parsed from either form gives its bytes back
// (TestSeedsRenderAsThemselves), so an answer differs from its sample only in the values set.
type node struct {
	name string
	attr string // the root's raw attributes, e.g. ` xmlns="…"`
	text string // a leaf's text, verbatim (whitespace included)
	str  bool   // a JSON string (possibly ""), not an empty element
	kids []*node
}

func (n *node) clone() *node {
	c := *n
	c.kids = make([]*node, len(n.kids))
	for i, k := range n.kids {
		c.kids[i] = k.clone()
	}
	return &c
}

// find returns the element at path ("Context/Session/SessionId"), or nil.
func (n *node) find(path string) *node {
	cur := n
	for _, name := range strings.Split(path, "/") {
		var next *node
		for _, k := range cur.kids {
			if k.name == name {
				next = k
				break
			}
		}
		if next == nil {
			return nil
		}
		cur = next
	}
	return cur
}

// set gives the element at path the text v; it panics if the sample has no such element, which
// would mean the fake invents a field.
func (n *node) set(path, v string) *node {
	e := n.find(path)
	if e == nil {
		panic("fakeidp: the sample has no " + path)
	}
	e.text, e.kids = v, nil
	return n
}

// parseXML reads a sample in XML, keeping each leaf's text as it is.
func parseXML(b []byte) *node {
	dec := xml.NewDecoder(bytes.NewReader(b))
	var stack []*node
	var root *node
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			return root
		}
		if err != nil {
			panic(fmt.Sprintf("fakeidp: a seed sample does not parse: %v", err))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{name: t.Name.Local}
			for _, a := range t.Attr {
				n.attr += fmt.Sprintf(` %s="%s"`, a.Name.Local, a.Value)
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.kids, p.text = append(p.kids, n), ""
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 && len(stack[len(stack)-1].kids) == 0 {
				stack[len(stack)-1].text += string(t)
			}
		}
	}
}

// renderXML writes n as OnSIP's samples are written: two spaces per level, an empty element as
// <Name />, a leaf's text as it is. (The Exception document, text in CDATA, is served as its
// sample is, not through here.)
func renderXML(n *node) string {
	var b strings.Builder
	writeXML(&b, n, 0)
	return b.String()
}

func writeXML(b *strings.Builder, n *node, depth int) {
	pad := strings.Repeat("  ", depth)
	b.WriteString(pad + "<" + n.name + n.attr)
	switch {
	case len(n.kids) > 0:
		b.WriteString(">\n")
		for _, k := range n.kids {
			writeXML(b, k, depth+1)
		}
		b.WriteString(pad + "</" + n.name + ">\n")
	case n.text == "":
		b.WriteString(" />\n")
	default:
		b.WriteString(">" + xmlText.Replace(n.text) + "</" + n.name + ">\n")
	}
}

// xmlText escapes text as XML requires and no more (xml.EscapeText would also escape newlines).
var xmlText = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// parseJSON reads a recorded answer in OnSIP's JSON, keeping the order of its keys.
func parseJSON(b []byte) *node {
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		panic("fakeidp: a recorded answer is not a JSON object")
	}
	kids, err := readObject(dec)
	if err != nil || len(kids) != 1 {
		panic(fmt.Sprintf("fakeidp: a recorded answer does not parse: %v", err))
	}
	return kids[0]
}

// readObject reads the members of an object whose '{' has been read, and its '}'. A member whose
// value is an array becomes one element per item, as in XML.
func readObject(dec *json.Decoder) ([]*node, error) {
	var kids []*node
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name, _ := key.(string)
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		if tok == json.Delim('[') {
			for dec.More() {
				if tok, err = dec.Token(); err != nil {
					return nil, err
				}
				k, err := readValue(dec, name, tok)
				if err != nil {
					return nil, err
				}
				kids = append(kids, k)
			}
			if _, err := dec.Token(); err != nil { // ]
				return nil, err
			}
			continue
		}
		k, err := readValue(dec, name, tok)
		if err != nil {
			return nil, err
		}
		kids = append(kids, k)
	}
	_, err := dec.Token() // }
	return kids, err
}

func readValue(dec *json.Decoder, name string, tok json.Token) (*node, error) {
	switch t := tok.(type) {
	case string:
		return &node{name: name, text: t, str: true}, nil
	case json.Delim:
		if t == '{' {
			kids, err := readObject(dec)
			return &node{name: name, kids: kids}, err
		}
	}
	return nil, fmt.Errorf("OnSIP's JSON has only strings and objects, not %v", tok)
}

// renderJSON writes n as OnSIP's JSON: {"Name": …} with every value a string, an empty element
// {}, and elements of one name an array when there are several.
func renderJSON(n *node) string {
	var b strings.Builder
	b.WriteString("{")
	writeJSONMember(&b, n.name, []*node{n})
	b.WriteString("}")
	return b.String()
}

func writeJSONMember(b *strings.Builder, name string, same []*node) {
	b.WriteString(jsonString(name) + ":")
	if len(same) > 1 {
		b.WriteString("[")
		for i, n := range same {
			if i > 0 {
				b.WriteString(",")
			}
			writeJSONValue(b, n)
		}
		b.WriteString("]")
		return
	}
	writeJSONValue(b, same[0])
}

func writeJSONValue(b *strings.Builder, n *node) {
	if len(n.kids) == 0 {
		if n.text == "" && !n.str {
			b.WriteString("{}")
		} else {
			b.WriteString(jsonString(n.text))
		}
		return
	}
	b.WriteString("{")
	var names []string
	groups := map[string][]*node{}
	for _, k := range n.kids {
		if groups[k.name] == nil {
			names = append(names, k.name)
		}
		groups[k.name] = append(groups[k.name], k)
	}
	for i, name := range names {
		if i > 0 {
			b.WriteString(",")
		}
		writeJSONMember(b, name, groups[name])
	}
	b.WriteString("}")
}

func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}
