package cparse

import (
	"strings"

	"github.com/tagcheck/tagcheck/flow"
)

// maxStmtExprDepth bounds the nesting of statement expressions lowered by
// sub-parses.
const maxStmtExprDepth = 16

// maxExprDepth bounds the nesting of a lowered expression. Hand-written
// C stays far below it; a generated or hostile line (a = x = x = ...,
// 1+1+..., g(g(g(...)))) would otherwise make every later walk of the
// tree (keys, calls, aliases) cost its depth at each level.
const maxExprDepth = 512

// expr lowers an expression node. It never returns nil. Below
// maxExprDepth levels the node is kept as one opaque operand and the
// function is degraded.
func (c *ctx) expr(n *node) *flow.Expr {
	if n == nil {
		return &flow.Expr{Op: flow.OpOther}
	}
	if c.exprDepth >= maxExprDepth {
		x := &flow.Expr{Op: flow.OpOther, Text: c.text(n), Pos: c.pos(n)}
		if c.deepAt == 0 {
			c.deepAt = x.Pos.Line
		}
		return x
	}
	c.exprDepth++
	defer func() { c.exprDepth-- }()
	k := kindOf(n)
	x := &flow.Expr{Text: c.text(n), Pos: c.pos(n)}
	switch k {
	case "identifier", "true", "false", "null", "nullptr", "field_identifier", "type_identifier", "statement_identifier":
		x.Op = flow.OpIdent
		x.Name = x.Text
	case "number_literal", "char_literal":
		x.Op = flow.OpNumber
		x.Name = x.Text
	case "string_literal", "concatenated_string", "system_lib_string":
		x.Op = flow.OpString
		x.Name = x.Text
	case "parenthesized_expression":
		if sub, ok := c.pp.stmtExprs[c.start(n)]; ok {
			return c.stmtExpr(n, sub)
		}
		if inner := c.firstNonComment(n); inner != nil {
			return c.expr(inner)
		}
		x.Op = flow.OpOther
	case "field_expression", "binary_expression", "assignment_expression":
		// fixed shape: left, operator, right (no field lookups)
		ch := c.children(n)
		if len(ch) == 3 && !ch[1].IsNamed() {
			op := c.text(ch[1])
			switch k {
			case "field_expression":
				x.Op = flow.OpField
				x.Args = []*flow.Expr{c.expr(ch[0])}
				x.Name = c.text(ch[2])
				x.Arrow = op == "->"
			case "binary_expression":
				x.Op = flow.OpBinary
				x.Name = op
				x.Args = []*flow.Expr{c.expr(ch[0]), c.expr(ch[2])}
			default:
				x.Op = flow.OpAssign
				x.Name = op
				x.Args = []*flow.Expr{c.expr(ch[0]), c.expr(ch[2])}
			}
			return x
		}
		return c.exprSlow(n, k, x)
	case "pointer_expression", "unary_expression":
		ch := c.children(n)
		if len(ch) == 2 && !ch[0].IsNamed() {
			x.Op = flow.OpUnary
			x.Name = c.text(ch[0])
			x.Args = []*flow.Expr{c.expr(ch[1])}
			return x
		}
		return c.exprSlow(n, k, x)
	default:
		return c.exprSlow(n, k, x)
	}
	return x
}

// exprSlow lowers the remaining shapes through field names.
func (c *ctx) exprSlow(n *node, k string, x *flow.Expr) *flow.Expr {
	switch k {
	case "field_expression":
		x.Op = flow.OpField
		x.Args = []*flow.Expr{c.expr(field(n, "argument"))}
		if f := field(n, "field"); f != nil {
			x.Name = c.text(f)
		}
		x.Arrow = c.operator(n) == "->"
	case "call_expression":
		fnN := field(n, "function")
		args := field(n, "arguments")
		// guard(class)(&lock): one call named guard with the class first
		if fnN != nil && kindOf(fnN) == "call_expression" {
			inner := field(fnN, "function")
			if inner != nil && kindOf(inner) == "identifier" && c.text(inner) == "guard" {
				x.Op = flow.OpCall
				x.Name = "guard"
				x.Args = append(c.argList(field(fnN, "arguments")), c.argList(args)...)
				return x
			}
		}
		name := ""
		if fnN != nil {
			name = strings.Join(strings.Fields(c.text(fnN)), "")
			switch name {
			case "sizeof", "typeof", "__typeof__", "__typeof", "offsetof", "_Alignof", "__alignof__",
				"__builtin_offsetof", "__same_type", "__builtin_types_compatible_p":
				x.Op = flow.OpSizeof
				x.Name = name
				return x
			}
		}
		x.Op = flow.OpCall
		x.Name = name
		if fnN != nil && kindOf(fnN) != "identifier" && kindOf(fnN) != "field_expression" {
			// (*ops->fn)(x), get_fn()(x): the callee expression is evaluated too
			if calls := flow.Calls(c.expr(fnN)); len(calls) > 0 {
				x.Args = append(x.Args, &flow.Expr{Op: flow.OpOther, Text: c.text(fnN), Pos: c.pos(fnN), Args: calls})
			}
		}
		x.Args = append(c.argList(args), x.Args...)
	case "pointer_expression", "unary_expression", "update_expression":
		x.Op = flow.OpUnary
		x.Name = c.operator(n)
		x.Args = []*flow.Expr{c.expr(field(n, "argument"))}
	case "binary_expression", "assignment_expression":
		x.Op = flow.OpBinary
		if k == "assignment_expression" {
			x.Op = flow.OpAssign
		}
		x.Name = c.operator(n)
		x.Args = []*flow.Expr{c.expr(field(n, "left")), c.expr(field(n, "right"))}
	case "cast_expression":
		x.Op = flow.OpCast
		if t := field(n, "type"); t != nil {
			x.Name = c.rwText(t)
		}
		x.Args = []*flow.Expr{c.expr(field(n, "value"))}
	case "subscript_expression":
		x.Op = flow.OpIndex
		x.Args = []*flow.Expr{c.expr(field(n, "argument")), c.expr(field(n, "index"))}
	case "conditional_expression":
		x.Op = flow.OpCond
		cons := field(n, "consequence")
		var mid *flow.Expr
		if cons == nil {
			mid = &flow.Expr{Op: flow.OpOther, Pos: x.Pos} // a ?: b
		} else {
			mid = c.expr(cons)
		}
		x.Args = []*flow.Expr{c.expr(field(n, "condition")), mid, c.expr(field(n, "alternative"))}
	case "comma_expression":
		x.Op = flow.OpComma
		x.Args = c.commaList(n)
	case "sizeof_expression", "alignof_expression", "offsetof_expression":
		x.Op = flow.OpSizeof
		x.Name = strings.SplitN(k, "_", 2)[0]
	case "compound_literal_expression", "initializer_list", "initializer_pair", "generic_expression",
		"gnu_asm_expression", "ERROR":
		x.Op = flow.OpOther
		for _, ch := range c.namedChildren(n) {
			switch kindOf(ch) {
			case "comment", "type_descriptor", "field_designator", "subscript_designator",
				"subscript_range_designator", "string_literal", "gnu_asm_qualifier":
				continue
			case "gnu_asm_output_operand_list", "gnu_asm_input_operand_list":
				for _, op := range c.namedChildren(ch) {
					if v := field(op, "value"); v != nil {
						x.Args = append(x.Args, c.expr(v))
					}
				}
				continue
			case "gnu_asm_clobber_list", "gnu_asm_goto_list":
				continue
			}
			x.Args = append(x.Args, c.expr(ch))
		}
	default:
		x.Op = flow.OpOther
	}
	return x
}

func (c *ctx) argList(n *node) []*flow.Expr {
	if n == nil {
		return nil
	}
	var out []*flow.Expr
	for _, ch := range c.namedChildren(n) {
		if kindOf(ch) == "comment" {
			continue
		}
		out = append(out, c.expr(ch))
	}
	return out
}

// stmtExpr lowers a GNU statement expression ({ ... }) as the comma of
// its statements' expressions, from a separate parse of its text (the
// pre-pass left a placeholder in the file).
func (c *ctx) stmtExpr(n *node, sub []byte) *flow.Expr {
	start := c.start(n)
	x := &flow.Expr{Op: flow.OpComma, Text: c.textAt(start, min(start+len(sub), len(c.src))), Pos: c.posAt(start)}
	if c.depth >= maxStmtExprDepth || c.parser == nil {
		x.Op = flow.OpOther
		return x
	}
	tree, err := c.parser.parse(sub)
	if err != nil {
		x.Op = flow.OpOther
		return x
	}
	defer tree.close()
	saved := c.base
	c.base = start
	c.depth++
	var walk func(s *node)
	walk = func(s *node) {
		switch kindOf(s) {
		case "compound_statement", "translation_unit", "labeled_statement", "else_clause", "ERROR",
			"case_statement", "attributed_statement":
			for _, ch := range c.namedChildren(s) {
				walk(ch)
			}
		case "declaration":
			for _, d := range c.fieldDeclarators(s) {
				if kindOf(d) != "init_declarator" {
					continue
				}
				v := field(d, "value")
				nm := declName(d)
				if v == nil || nm == nil {
					continue
				}
				lhs := &flow.Expr{Op: flow.OpIdent, Name: c.text(nm), Text: c.text(nm), Pos: c.pos(nm)}
				x.Args = append(x.Args, &flow.Expr{Op: flow.OpAssign, Name: "=", Args: []*flow.Expr{lhs, c.expr(v)}, Text: c.text(d), Pos: c.pos(d)})
			}
		case "expression_statement", "return_statement":
			for _, ch := range c.namedChildren(s) {
				if kindOf(ch) != "comment" {
					x.Args = append(x.Args, c.expr(ch))
				}
			}
		case "if_statement", "while_statement", "do_statement", "switch_statement", "for_statement":
			for _, ch := range c.namedChildren(s) {
				k := kindOf(ch)
				if k == "parenthesized_expression" {
					x.Args = append(x.Args, c.expr(ch))
				} else if strings.HasSuffix(k, "_expression") && k != "comment" {
					x.Args = append(x.Args, c.expr(ch))
				} else {
					walk(ch)
				}
			}
		case "comment", "goto_statement", "break_statement", "continue_statement":
		default:
			if strings.HasSuffix(kindOf(s), "_expression") {
				x.Args = append(x.Args, c.expr(s))
			}
		}
	}
	walk(tree.root)
	c.depth--
	c.base = saved
	return x
}

// firstNonComment returns n's first named child that is not a comment
// (tree-sitter keeps comments as children of statements and parentheses).
func (c *ctx) firstNonComment(n *node) *node {
	for _, ch := range c.namedChildren(n) {
		if kindOf(ch) != "comment" {
			return ch
		}
	}
	return nil
}

// operator is the text of n's operator ("" when it has none).
func (c *ctx) operator(n *node) string {
	if op := field(n, "operator"); op != nil {
		return c.text(op)
	}
	return ""
}
