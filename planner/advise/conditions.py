"""A small, safe condition language for rule files.

Rules say when they apply with expressions such as
``branches >= 2 and converges and not iterative``. The text is tokenised and
parsed into a tiny AST that is type-checked against the known feature names
and evaluated by walking the tree: rule text is never handed to ``eval``.

Grammar (lowest precedence first)::

    expr    := and ('or' and)*
    and     := not ('and' not)*
    not     := 'not' not | compare
    compare := sum (('=='|'!='|'<'|'<='|'>'|'>=') sum)?
             | sum 'in' '[' literal (',' literal)* ']'
    sum     := product (('+'|'-') product)*
    product := unary (('*'|'/') unary)*
    unary   := '-' unary | atom
    atom    := NUMBER | STRING | 'true' | 'false' | NAME | '(' expr ')'

Values are numbers, booleans and strings; every name must be a known feature,
and types must line up (``width and 3`` is an error, not a surprise).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal, NamedTuple

Kind = Literal["bool", "num", "str"]
Value = bool | float | int | str

MAX_LENGTH = 1000  # longer conditions are a mistake, not a rule
MAX_DEPTH = 40  # nesting bound: keeps the recursive parser far from Python's limit
MAX_OPERATORS = 100  # binary operators build deep left-leaning trees; bound them too


class ConditionError(ValueError):
    """A condition that does not parse or does not type-check.

    ``column`` is 1-based within the condition text.
    """

    def __init__(self, message: str, column: int | None = None) -> None:
        self.reason = message
        self.column = column
        super().__init__(f"{message} (column {column})" if column else message)


# --- tokens ---------------------------------------------------------------

_TOKEN_RE = re.compile(
    r"""
    (?P<space>[ \t\r\n]+)
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<string>"[^"\\\n]*"|'[^'\\\n]*')
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,|\+|-|\*|/)
    """,
    re.VERBOSE,
)
_KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false"})


class Token(NamedTuple):
    kind: str  # number, string, name, keyword, op, end
    text: str
    column: int


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN_RE.match(text, pos)
        if match is None:
            char = text[pos]
            shown = repr(char) if char.isprintable() else f"U+{ord(char):04X}"
            raise ConditionError(f"unexpected character {shown}", pos + 1)
        kind = match.lastgroup or ""
        if kind != "space":
            value = match.group()
            if kind == "name" and value in _KEYWORDS:
                kind = "keyword"
            tokens.append(Token(kind, value, pos + 1))
        pos = match.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


# --- AST -----------------------------------------------------------------


class Literal_(NamedTuple):
    value: Value


class Name(NamedTuple):
    name: str


class Unary(NamedTuple):
    op: str  # "not" or "-"
    operand: Node


class Binary(NamedTuple):
    op: str  # and or == != < <= > >= + - * /
    left: Node
    right: Node


class InList(NamedTuple):
    operand: Node
    options: tuple[Value, ...]


Node = Literal_ | Name | Unary | Binary | InList


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0
        self.operators = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        tok = self.tokens[self.i]
        if tok.kind != "end":
            self.i += 1
        return tok

    def operator(self) -> str:
        self.operators += 1
        if self.operators > MAX_OPERATORS:
            raise ConditionError(f"condition has more than {MAX_OPERATORS} operators", self.tok.column)
        return self.take().text

    def at(self, *texts: str) -> bool:
        return self.tok.kind in ("op", "keyword") and self.tok.text in texts

    def expect(self, text: str) -> Token:
        if not self.at(text):
            raise ConditionError(f"expected '{text}' but found {_describe(self.tok)}", self.tok.column)
        return self.take()

    def nest(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ConditionError(f"condition nests deeper than {MAX_DEPTH} levels", self.tok.column)

    def parse(self) -> Node:
        node = self.expr()
        if self.tok.kind != "end":
            raise ConditionError(f"unexpected {_describe(self.tok)}", self.tok.column)
        return node

    def expr(self) -> Node:
        self.nest()
        node = self.and_()
        while self.at("or"):
            self.operator()
            node = Binary("or", node, self.and_())
        self.depth -= 1
        return node

    def and_(self) -> Node:
        node = self.not_()
        while self.at("and"):
            self.operator()
            node = Binary("and", node, self.not_())
        return node

    def not_(self) -> Node:
        if self.at("not"):
            self.take()
            self.nest()
            node = Unary("not", self.not_())
            self.depth -= 1
            return node
        return self.compare()

    def compare(self) -> Node:
        left = self.sum()
        if self.at("==", "!=", "<", "<=", ">", ">="):
            op = self.take().text
            right = self.sum()
            if self.at("==", "!=", "<", "<=", ">", ">="):
                raise ConditionError("chained comparisons are not supported; join them with 'and'", self.tok.column)
            return Binary(op, left, right)
        if self.at("in"):
            self.take()
            self.expect("[")
            options = [self.literal()]
            while self.at(","):
                self.take()
                options.append(self.literal())
            self.expect("]")
            return InList(left, tuple(options))
        return left

    def literal(self) -> Value:
        tok = self.take()
        if tok.kind == "number":
            return _number(tok.text)
        if tok.kind == "string":
            return tok.text[1:-1]
        if tok.kind == "keyword" and tok.text in ("true", "false"):
            return tok.text == "true"
        raise ConditionError(f"expected a literal value but found {_describe(tok)}", tok.column)

    def sum(self) -> Node:
        node = self.product()
        while self.at("+", "-"):
            op = self.operator()
            node = Binary(op, node, self.product())
        return node

    def product(self) -> Node:
        node = self.unary()
        while self.at("*", "/"):
            op = self.operator()
            node = Binary(op, node, self.unary())
        return node

    def unary(self) -> Node:
        if self.at("-"):
            self.take()
            self.nest()
            node = Unary("-", self.unary())
            self.depth -= 1
            return node
        return self.atom()

    def atom(self) -> Node:
        tok = self.tok
        if tok.kind == "number":
            self.take()
            return Literal_(_number(tok.text))
        if tok.kind == "string":
            self.take()
            return Literal_(tok.text[1:-1])
        if tok.kind == "keyword" and tok.text in ("true", "false"):
            self.take()
            return Literal_(tok.text == "true")
        if tok.kind == "name":
            self.take()
            return Name(tok.text)
        if self.at("("):
            self.take()
            node = self.expr()
            self.expect(")")
            return node
        raise ConditionError(f"expected a value but found {_describe(tok)}", tok.column)


def _number(text: str) -> float | int:
    return float(text) if "." in text else int(text)


def _describe(tok: Token) -> str:
    return "end of condition" if tok.kind == "end" else f"'{tok.text}'"


# --- type checking and evaluation ----------------------------------------


def _kind_of(value: Value) -> Kind:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, str):
        return "str"
    return "num"


def _check(node: Node, names: Mapping[str, Kind]) -> Kind:
    if isinstance(node, Literal_):
        return _kind_of(node.value)
    if isinstance(node, Name):
        if node.name not in names:
            from difflib import get_close_matches

            close = get_close_matches(node.name, list(names), n=3)
            hint = f"did you mean {' or '.join(repr(c) for c in close)}?" if close else "`planner suggest --explain` lists the features"
            raise ConditionError(f"unknown feature '{node.name}' ({hint})")
        return names[node.name]
    if isinstance(node, Unary):
        kind = _check(node.operand, names)
        want: Kind = "bool" if node.op == "not" else "num"
        if kind != want:
            raise ConditionError(f"'{node.op}' needs a {_noun(want)}, not a {_noun(kind)}")
        return want
    if isinstance(node, InList):
        kind = _check(node.operand, names)
        for option in node.options:
            if _kind_of(option) != kind:
                raise ConditionError(f"'in' list mixes a {_noun(kind)} with {option!r}")
        return "bool"
    left, right = _check(node.left, names), _check(node.right, names)
    if node.op in ("and", "or"):
        if left != "bool" or right != "bool":
            raise ConditionError(f"'{node.op}' joins true/false conditions, not a {_noun(left if left != 'bool' else right)}")
        return "bool"
    if node.op in ("==", "!="):
        if left != right:
            raise ConditionError(f"'{node.op}' compares a {_noun(left)} with a {_noun(right)}")
        return "bool"
    if left != "num" or right != "num":
        raise ConditionError(f"'{node.op}' needs numbers on both sides")
    return "bool" if node.op in ("<", "<=", ">", ">=") else "num"


def _noun(kind: Kind) -> str:
    return {"bool": "true/false value", "num": "number", "str": "string"}[kind]


def _eval(node: Node, env: Mapping[str, Value]) -> Value:
    if isinstance(node, Literal_):
        return node.value
    if isinstance(node, Name):
        return env[node.name]
    if isinstance(node, Unary):
        value = _eval(node.operand, env)
        return (not value) if node.op == "not" else -float(value)
    if isinstance(node, InList):
        return _eval(node.operand, env) in node.options
    op = node.op
    if op == "and":
        return bool(_eval(node.left, env)) and bool(_eval(node.right, env))
    if op == "or":
        return bool(_eval(node.left, env)) or bool(_eval(node.right, env))
    a, b = _eval(node.left, env), _eval(node.right, env)
    if op == "==":
        return a == b
    if op == "!=":
        return a != b
    x, y = float(a), float(b)
    if op == "<":
        return x < y
    if op == "<=":
        return x <= y
    if op == ">":
        return x > y
    if op == ">=":
        return x >= y
    if op == "+":
        return x + y
    if op == "-":
        return x - y
    if op == "*":
        return x * y
    return x / y if y else 0.0  # a rule must not crash on a zero feature


class Condition(NamedTuple):
    """A parsed, type-checked condition; call :meth:`holds` to evaluate it."""

    text: str
    tree: Node

    def holds(self, env: Mapping[str, Value]) -> bool:
        return bool(_eval(self.tree, env))

    def names(self) -> frozenset[str]:
        found: set[str] = set()
        stack: list[Node] = [self.tree]
        while stack:
            node = stack.pop()
            if isinstance(node, Name):
                found.add(node.name)
            elif isinstance(node, Unary | InList):
                stack.append(node.operand)
            elif isinstance(node, Binary):
                stack.extend((node.left, node.right))
        return frozenset(found)


def compile_condition(text: str, names: Mapping[str, Kind]) -> Condition:
    """Parse and type-check ``text`` against feature ``names`` (name -> kind).

    >>> compile_condition("width >= 2 and converges", {"width": "num", "converges": "bool"}).holds(
    ...     {"width": 3, "converges": True})
    True
    """
    if not isinstance(text, str):
        raise ConditionError("a condition must be a string")
    if len(text) > MAX_LENGTH:
        raise ConditionError(f"condition is longer than {MAX_LENGTH} characters")
    if not text.strip():
        raise ConditionError("condition is empty")
    tree = _Parser(text).parse()
    if _check(tree, names) != "bool":
        raise ConditionError("a condition must be true or false (add a comparison such as '>= 2')")
    return Condition(text, tree)
