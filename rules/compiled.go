package rules

import (
	"crypto/sha256"
	"encoding/hex"
)

// The embedded packs are also compiled into Go (packs_gen.go, which `go
// generate ./rules` writes from the YAML): go vet starts one process per
// package, and parsing the YAML in each was a twentieth of what tagcheck
// go spent on a small module. Each file's entry carries the SHA-256 of the
// YAML it was made from: a pack edited without regenerating is read from
// its YAML, as before (never a stale rule), and TestCompiledPacks fails
// until packs_gen.go is regenerated.

//go:generate go test -run ^TestCompiledPacks$ -update-compiled

// compiledFile is one embedded pack file, decoded.
type compiledFile struct {
	File   string // as embedded: "packs/go-sync.yaml"
	SHA256 string // of the file's YAML, hex
	Packs  []*Pack
}

// compiledPacks returns the decoded packs of the embedded file name,
// whose YAML is data, when packs_gen.go holds them for this very YAML.
// The packs are new on each call: the caller may change them.
func compiledPacks(name string, data []byte) ([]*Pack, bool) {
	sum := sha256.Sum256(data)
	for _, f := range compiledFiles() {
		if f.File == name {
			return f.Packs, f.SHA256 == hex.EncodeToString(sum[:])
		}
	}
	return nil, false
}
