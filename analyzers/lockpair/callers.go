package lockpair

import (
	"fmt"
	"strings"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/report"
	"github.com/tagcheck/tagcheck/rules"
)

// dropCallers notes the release of res, a lock this function did not
// take on this path (its caller's), and reports a second release of it
// when nothing in between took it again or could have: the caller held
// it once (handle_cap_export drops session->s_mutex to open a session,
// loops back without retaking it, and drops it again on the way out).
func (w *walker) dropCallers(s *state, c *flow.Expr, p *rules.Pair, res string) {
	if isCPUState(res) || p == nil || p.Maybe || p.Recursive || p.Scoped || p.Field != "" {
		return
	}
	site, ok := s.dropped[res]
	if !ok {
		if s.dropped == nil {
			s.dropped = map[string]string{}
		}
		s.dropped[res] = c.Pos.String()
		return
	}
	if strings.HasSuffix(site, "?") || site == c.Pos.String() || w.reported["unheld:"+c.Pos.String()] {
		return
	}
	w.reported["unheld:"+c.Pos.String()] = true
	w.add(report.Finding{
		Rule: report.UnheldRelease, File: c.Pos.File, Line: c.Pos.Line, Column: c.Pos.Col,
		Message: fmt.Sprintf("%s releases %s, already released at line %s on this path; %s never takes it, so its caller's hold is released twice",
			c.Text, describe(res), lineOf(site), w.f.Name),
		Related: trailRelated(s.trail, 8),
	})
}
