//! Execution: walking a parsed template over a value, as Go's `text/template/exec.go` does.
//!
//! The evaluator reproduces Go's reflection-level behaviour that charts can observe: a nil
//! interface (`Value::Nil`) versus no value (`Value::Invalid`), argument conversion and its
//! errors, the node each error is reported at, `missingkey=zero`, and the depth limits.

use smallvec::{SmallVec, smallvec};
use std::sync::Arc;

use super::ast::{Arg, Branch, Builtin, Callee, Command, EngineFn, Node, Number, Pipe, Pos, Tree};
use super::builtins;
use super::error::{Cause, Error, ExecError, go_quote};
use super::methods;
use super::parser;
use super::{Lookup, Namespace, Options};
use crate::funcs::{Args, FnCtx, FnError, FuncEnv, GoType};
use crate::random::Random;
use crate::value::{IntType, Key, ListType, MapType, Value, mutation};

/// Go's `maxExecDepth` for nested `{{template}}` calls.
const MAX_EXEC_DEPTH: usize = 100_000;
/// How many distinct `tpl` texts one render keeps parsed.
const MAX_CACHED_TPL: usize = 4096;
/// Helm's limit on nested `include`s of one name (`recursionMaxNums`).
const MAX_INCLUDE_NESTING: u32 = 1000;
/// The name Helm gives the root of its template set, which `tpl` reuses.
pub(crate) const ROOT_NAME: &str = "gotpl";

/// One `tpl` text, parsed: the named trees it defines, in definition order, and the
/// namespace they were last overlaid on (`parent`) with that overlay, which later calls from
/// the same namespace reuse.
pub(crate) struct ParsedTpl {
    trees: Arc<Vec<(String, Arc<Tree>)>>,
    parent: Arc<Namespace>,
    overlay: Arc<Namespace>,
}

/// Render-wide state shared by every template executed in one render.
pub(crate) struct Shared<'a> {
    pub random: &'a mut Random,
    pub env: &'a FuncEnv,
    pub options: &'a Options,
    pub lookup: Option<&'a dyn Lookup>,
    /// How deeply each name is currently nested in `include` calls.
    pub included: super::NameMap<u32>,
    /// `tpl` texts already parsed in this render: parsing is a pure function of the text, so
    /// charts that run the same `tpl` string many times parse it once.
    pub tpl_parsed: super::NameMap<ParsedTpl>,
    pub steps_left: u64,
    /// Output buffers of finished `include` calls, kept for the next ones.
    pub spare_buffers: Vec<String>,
    /// `include` results that may be reused.
    pub memo: super::memo::IncludeMemo,
    /// How many calls so far used more than their arguments and the values: random numbers,
    /// the clock, DNS, the cluster.
    pub outside_inputs: u64,
}

/// A value together with whether it is held in an `interface {}` (a map or slice element),
/// which Go's error messages reveal (`can't evaluate field x in type interface {}`).
#[derive(Clone, Debug)]
pub(crate) struct Operand {
    pub value: Value,
    pub boxed: bool,
}

impl Operand {
    fn plain(value: Value) -> Operand {
        Operand {
            value,
            boxed: false,
        }
    }

    fn boxed(value: Value) -> Operand {
        Operand { value, boxed: true }
    }

    fn static_type(&self) -> String {
        if self.boxed || matches!(self.value, Value::Nil) {
            "interface {}".to_string()
        } else {
            self.value.type_name().into_owned()
        }
    }
}

/// What walking a node asks of the enclosing `range`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Flow {
    Normal,
    Break,
    Continue,
}

/// The node an error is reported at (Go's `state.node`).
#[derive(Clone, Copy)]
enum At<'t> {
    None,
    Node(&'t Node),
    Pipe(&'t Pipe),
    Cmd(&'t Command),
    Arg(&'t Arg),
}

impl At<'_> {
    fn pos(&self) -> Option<Pos> {
        match self {
            At::None => None,
            At::Node(n) => Some(n.pos()),
            At::Pipe(p) => Some(p.pos),
            At::Cmd(c) => Some(c.pos),
            At::Arg(a) => Some(a.pos()),
        }
    }

    /// The node as Go prints it in an error's context; `text` is its tree's text.
    fn text(&self, text: &str) -> String {
        match self {
            At::None => String::new(),
            At::Node(n) => n.shown(text).to_string(),
            At::Pipe(p) => p.to_string(),
            At::Cmd(c) => c.to_string(),
            At::Arg(a) => a.to_string(),
        }
    }
}

type EResult<T> = Result<T, Error>;

/// One template's execution (Go's `state`).
pub(crate) struct State<'t, 's, 'a> {
    tree: &'t Tree,
    ns: &'t Arc<Namespace>,
    /// The variables in scope, innermost last (most templates declare only a few).
    vars: SmallVec<[(&'t str, Operand); 4]>,
    at: At<'t>,
    depth: usize,
    shared: &'s mut Shared<'a>,
}

/// Executes `tree` with `data` as dot.
pub(crate) fn execute(
    tree: &Tree,
    ns: &Arc<Namespace>,
    data: Value,
    shared: &mut Shared<'_>,
) -> EResult<String> {
    // Room for the text and a little per action, so that most outputs never grow.
    let hint: usize = tree
        .root
        .iter()
        .map(|n| match n {
            Node::Text(start, end) => (end - start) as usize,
            _ => 16,
        })
        .sum();
    let mut out = String::with_capacity(hint);
    execute_into(tree, ns, data, shared, &mut out)?;
    Ok(out)
}

/// [`execute`] into the end of `out`.
fn execute_into(
    tree: &Tree,
    ns: &Arc<Namespace>,
    data: Value,
    shared: &mut Shared<'_>,
    out: &mut String,
) -> EResult<()> {
    let dot = Operand::plain(data);
    let mut state = State {
        tree,
        ns,
        vars: smallvec![("$", dot.clone())],
        at: At::None,
        depth: 0,
        shared,
    };
    state.walk_list(&dot, &tree.root, out)?;
    Ok(())
}

impl<'t> State<'t, '_, '_> {
    // ---- errors ----

    fn errorf(&self, message: impl Into<String>) -> Error {
        self.error_with(message.into(), None)
    }

    fn error_with(&self, message: String, cause: Option<Cause>) -> Error {
        let (location, source) = match self.at.pos() {
            Some(pos) => (
                Some(self.tree.location(pos)),
                Some((
                    self.tree.parse_name.clone(),
                    self.tree.text.to_arc_str(),
                    pos as usize,
                )),
            ),
            None => (None, None),
        };
        Error::Exec(Box::new(ExecError {
            template: self.tree.name.clone(),
            location,
            context: self.at.text(self.tree.text.as_str()),
            message,
            cause,
            source,
        }))
    }

    fn tick(&mut self) -> EResult<()> {
        if self.shared.steps_left == 0 {
            return Err(self.errorf("template execution exceeded its step budget"));
        }
        self.shared.steps_left -= 1;
        Ok(())
    }

    // ---- variables ----

    fn push(&mut self, name: &'t str, value: Operand) {
        self.vars.push((name, value));
    }

    fn set_var(&mut self, name: &str, value: Operand) -> EResult<()> {
        match self.vars.iter_mut().rev().find(|(n, _)| **n == *name) {
            Some(slot) => {
                slot.1 = value;
                Ok(())
            }
            None => Err(self.errorf(format!("undefined variable: {name}"))),
        }
    }

    fn set_top_var(&mut self, n: usize, value: Operand) {
        let len = self.vars.len();
        if let Some(slot) = self.vars.get_mut(len.wrapping_sub(n)) {
            slot.1 = value;
        }
    }

    fn var_value(&self, name: &str) -> EResult<Operand> {
        match self.vars.iter().rev().find(|(n, _)| **n == *name) {
            Some((_, v)) => Ok(v.clone()),
            None => Err(self.errorf(format!("undefined variable: {name}"))),
        }
    }

    // ---- walking ----

    fn walk_list(&mut self, dot: &Operand, list: &'t [Node], out: &mut String) -> EResult<Flow> {
        for node in list {
            let flow = self.walk(dot, node, out)?;
            if flow != Flow::Normal {
                return Ok(flow);
            }
        }
        Ok(Flow::Normal)
    }

    fn walk(&mut self, dot: &Operand, node: &'t Node, out: &mut String) -> EResult<Flow> {
        self.at = At::Node(node);
        self.tick()?;
        match node {
            Node::Text(start, end) => out.push_str(self.tree.text.span(*start, *end)),
            Node::Action(_, pipe) => {
                let val = self.eval_pipeline(dot, pipe)?;
                if pipe.decl.is_empty() {
                    self.at = At::Node(node);
                    print_value(&val, out);
                }
            }
            Node::If(b) => return self.walk_if_or_with(false, dot, b, out),
            Node::With(b) => return self.walk_if_or_with(true, dot, b, out),
            Node::Range(b) => {
                return stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
                    self.walk_range(dot, node, b, out)
                });
            }
            Node::Template { name, pipe, .. } => {
                stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
                    self.walk_template(dot, node, name, pipe.as_deref(), out)
                })?;
            }
            Node::Break(_) => return Ok(Flow::Break),
            Node::Continue(_) => return Ok(Flow::Continue),
        }
        Ok(Flow::Normal)
    }

    fn walk_if_or_with(
        &mut self,
        with: bool,
        dot: &Operand,
        b: &'t Branch,
        out: &mut String,
    ) -> EResult<Flow> {
        let mark = self.vars.len();
        let r = (|| {
            let val = self.eval_pipeline(dot, &b.pipe)?;
            if val.is_true() {
                if with {
                    self.walk_list(&Operand::plain(val), &b.list, out)
                } else {
                    self.walk_list(dot, &b.list, out)
                }
            } else if let Some(e) = &b.else_list {
                self.walk_list(dot, e, out)
            } else {
                Ok(Flow::Normal)
            }
        })();
        self.vars.truncate(mark);
        r
    }

    fn walk_range(
        &mut self,
        dot: &Operand,
        node: &'t Node,
        b: &'t Branch,
        out: &mut String,
    ) -> EResult<Flow> {
        self.at = At::Node(node);
        let mark = self.vars.len();
        let r = self.walk_range_inner(dot, b, out);
        self.vars.truncate(mark);
        // A `break` or `continue` ends at its own range.
        r.map(|_| Flow::Normal)
    }

    fn one_iteration(
        &mut self,
        b: &'t Branch,
        mark: usize,
        index: Operand,
        elem: Operand,
        out: &mut String,
    ) -> EResult<Flow> {
        let pipe = &b.pipe;
        if !pipe.decl.is_empty() {
            if pipe.is_assign {
                if pipe.decl.len() > 1 {
                    self.set_var(&pipe.decl[0], index.clone())?;
                } else {
                    self.set_var(&pipe.decl[0], elem.clone())?;
                }
            } else {
                self.set_top_var(1, elem.clone());
            }
        }
        if pipe.decl.len() > 1 {
            if pipe.is_assign {
                self.set_var(&pipe.decl[1], elem.clone())?;
            } else {
                self.set_top_var(2, index);
            }
        }
        let r = self.walk_list(&elem, &b.list, out);
        self.vars.truncate(mark);
        r
    }

    fn walk_range_inner(
        &mut self,
        dot: &Operand,
        b: &'t Branch,
        out: &mut String,
    ) -> EResult<Flow> {
        let val = self.eval_pipeline(dot, &b.pipe)?;
        let mark = self.vars.len();
        let mut ran = false;
        match &val {
            Value::List(l) => {
                let boxed = l.ty() == ListType::Any || l.ty() == ListType::AnyList;
                for (i, elem) in l.items().iter().enumerate() {
                    ran = true;
                    let elem = Operand {
                        value: elem.clone(),
                        boxed,
                    };
                    let index = Operand::plain(Value::int(i64::try_from(i).unwrap_or(i64::MAX)));
                    if self.one_iteration(b, mark, index, elem, out)? == Flow::Break {
                        break;
                    }
                }
            }
            Value::Bytes(bytes) => {
                for (i, byte) in bytes.iter().enumerate() {
                    ran = true;
                    let elem = Operand::plain(Value::Uint(
                        u64::from(*byte),
                        crate::value::UintType::Uint8,
                    ));
                    let index = Operand::plain(Value::int(i64::try_from(i).unwrap_or(i64::MAX)));
                    if self.one_iteration(b, mark, index, elem, out)? == Flow::Break {
                        break;
                    }
                }
            }
            Value::Map(m) => {
                let boxed = matches!(m.ty(), MapType::Any | MapType::Values);
                for (k, v) in m.entries() {
                    ran = true;
                    let elem = Operand { value: v, boxed };
                    if self.one_iteration(b, mark, Operand::plain(Value::string(k)), elem, out)?
                        == Flow::Break
                    {
                        break;
                    }
                }
            }
            Value::Int(n, ty) => {
                if b.pipe.decl.len() > 1 {
                    return Err(self.errorf(format!(
                        "can't use {} to iterate over more than one variable",
                        crate::gofmt::sprint(std::slice::from_ref(&val))
                    )));
                }
                for i in 0..(*n).max(0) {
                    ran = true;
                    let elem = Operand::plain(Value::Int(i, *ty));
                    if self.one_iteration(b, mark, Operand::plain(Value::Invalid), elem, out)?
                        == Flow::Break
                    {
                        break;
                    }
                }
            }
            Value::Uint(n, ty) => {
                if b.pipe.decl.len() > 1 {
                    return Err(self.errorf(format!(
                        "can't use {} to iterate over more than one variable",
                        crate::gofmt::sprint(std::slice::from_ref(&val))
                    )));
                }
                for i in 0..*n {
                    ran = true;
                    let elem = Operand::plain(Value::Uint(i, *ty));
                    if self.one_iteration(b, mark, Operand::plain(Value::Invalid), elem, out)?
                        == Flow::Break
                    {
                        break;
                    }
                }
            }
            Value::Invalid | Value::Nil => {}
            other => {
                return Err(self.errorf(format!(
                    "range can't iterate over {}",
                    crate::gofmt::sprint(std::slice::from_ref(other))
                )));
            }
        }
        if !ran && let Some(e) = &b.else_list {
            return self.walk_list(dot, e, out);
        }
        Ok(Flow::Normal)
    }

    fn walk_template(
        &mut self,
        dot: &Operand,
        node: &'t Node,
        name: &str,
        pipe: Option<&'t Pipe>,
        out: &mut String,
    ) -> EResult<()> {
        self.at = At::Node(node);
        let Some(tree) = self.ns.lookup(name) else {
            return Err(self.errorf(format!("template {} not defined", go_quote(name))));
        };
        if self.depth == MAX_EXEC_DEPTH {
            return Err(self.errorf(format!(
                "exceeded maximum template depth ({MAX_EXEC_DEPTH})"
            )));
        }
        let new_dot = match pipe {
            Some(p) => self.eval_pipeline(dot, p)?,
            None => Value::Invalid,
        };
        let dot = Operand::plain(new_dot);
        let mut inner = State {
            tree: &tree,
            ns: self.ns,
            vars: smallvec![("$", dot.clone())],
            at: At::None,
            depth: self.depth + 1,
            shared: &mut *self.shared,
        };
        inner.walk_list(&dot, &tree.root, out)?;
        Ok(())
    }

    // ---- evaluation ----

    fn eval_pipeline(&mut self, dot: &Operand, pipe: &'t Pipe) -> EResult<Value> {
        self.at = At::Pipe(pipe);
        let mut value: Option<Operand> = None;
        for cmd in &pipe.cmds {
            let v = self.eval_command(dot, cmd, value.take())?;
            // A nil interface result becomes "no value", as Go's `value.Elem()` does.
            value = Some(match v.value {
                Value::Nil => Operand::plain(Value::Invalid),
                other => Operand::plain(other),
            });
        }
        let value = value.map_or(Value::Invalid, |o| o.value);
        for name in &pipe.decl {
            if pipe.is_assign {
                self.set_var(name, Operand::plain(value.clone()))?;
            } else {
                self.push(name, Operand::plain(value.clone()));
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, args: &[Arg], final_: Option<&Operand>) -> EResult<()> {
        if args.len() > 1 || final_.is_some() {
            let first = args.first().map(ToString::to_string).unwrap_or_default();
            return Err(self.errorf(format!("can't give argument to non-function {first}")));
        }
        Ok(())
    }

    fn eval_command(
        &mut self,
        dot: &Operand,
        cmd: &'t Command,
        final_: Option<Operand>,
    ) -> EResult<Operand> {
        self.tick()?;
        let Some(first) = cmd.args.first() else {
            return Err(self.errorf("empty command"));
        };
        match first {
            Arg::Field { idents, .. } => {
                self.at = At::Arg(first);
                return self.eval_field_chain(dot, dot.clone(), first, idents, &cmd.args, final_);
            }
            Arg::Chain { node, fields, .. } => {
                return self.eval_chain(dot, first, node, fields, &cmd.args, final_);
            }
            Arg::Identifier { callee, .. } => {
                self.at = At::Arg(first);
                return self.eval_call(
                    dot,
                    *callee,
                    None,
                    At::Cmd(cmd),
                    callee.name(),
                    &cmd.args[1..],
                    final_,
                );
            }
            Arg::Pipe(p) => {
                self.not_a_function(&cmd.args, final_.as_ref())?;
                return self.eval_pipeline(dot, p).map(Operand::plain);
            }
            Arg::Variable { idents, .. } => {
                return self.eval_variable(dot, first, idents, &cmd.args, final_);
            }
            _ => {}
        }
        self.at = At::Arg(first);
        self.not_a_function(&cmd.args, final_.as_ref())?;
        Ok(match first {
            Arg::Bool(_, b) => Operand::plain(Value::Bool(*b)),
            Arg::Dot(_) => dot.clone(),
            Arg::Nil(_) => return Err(self.errorf("nil is not a command")),
            Arg::Number(_, n) => Operand::plain(self.ideal_constant(first, n)?),
            Arg::String { text, .. } => Operand::plain(Value::String(text.clone())),
            _ => {
                return Err(self.errorf(format!(
                    "can't evaluate command {}",
                    go_quote(&first.to_string())
                )));
            }
        })
    }

    /// Go's `idealConstant`: the type of an untyped number constant, from its syntax.
    fn ideal_constant(&mut self, node: &'t Arg, n: &Number) -> EResult<Value> {
        self.at = At::Arg(node);
        let text = n.text.as_str();
        let is_hex_int = text.len() > 2
            && text.starts_with('0')
            && matches!(text.as_bytes()[1], b'x' | b'X')
            && !text.contains(['p', 'P']);
        let is_rune = text.starts_with('\'');
        if n.is_complex {
            return Ok(Value::Complex(n.complex.0, n.complex.1));
        }
        if n.is_float && !is_hex_int && !is_rune && text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Ok(Value::Float(n.float64));
        }
        if n.is_int {
            return Ok(Value::int(n.int64));
        }
        if n.is_uint {
            return Err(self.errorf(format!("{text} overflows int")));
        }
        Ok(Value::Invalid)
    }

    fn eval_variable(
        &mut self,
        dot: &Operand,
        node: &'t Arg,
        idents: &'t [Key],
        args: &'t [Arg],
        final_: Option<Operand>,
    ) -> EResult<Operand> {
        self.at = At::Arg(node);
        let value = self.var_value(&idents[0])?;
        if idents.len() == 1 {
            self.not_a_function(args, final_.as_ref())?;
            return Ok(value);
        }
        self.eval_field_chain(dot, value, node, &idents[1..], args, final_)
    }

    fn eval_chain(
        &mut self,
        dot: &Operand,
        node: &'t Arg,
        inner: &'t Arg,
        fields: &'t [Key],
        args: &'t [Arg],
        final_: Option<Operand>,
    ) -> EResult<Operand> {
        self.at = At::Arg(node);
        if let Arg::Nil(_) = inner {
            return Err(self.errorf(format!("indirection through explicit nil in {node}")));
        }
        let receiver = self.eval_arg_untyped(dot, inner)?;
        self.eval_field_chain(dot, receiver, node, fields, args, final_)
    }

    fn eval_field_chain(
        &mut self,
        dot: &Operand,
        mut receiver: Operand,
        node: &'t Arg,
        idents: &'t [Key],
        args: &'t [Arg],
        final_: Option<Operand>,
    ) -> EResult<Operand> {
        let Some((last, mut init)) = idents.split_last() else {
            return Ok(receiver);
        };
        // Steps through plain maps (no method of that name) read each map in place and copy
        // only the value they reach; the general path below takes over where they stop.
        if let Value::Map(m) = &receiver.value
            && let Some((followed, reached, ty)) = m.follow(init, &|ty, key| match ty {
                MapType::Any => true,
                MapType::Values => !methods::is_values_method(key),
                MapType::Str | MapType::Files => false,
            })
        {
            receiver = map_element(ty, reached);
            init = &init[followed..];
        }
        for ident in init {
            receiver = self.eval_field(dot, ident, node, &[], None, receiver)?;
        }
        self.eval_field(dot, last, node, args, final_, receiver)
    }

    fn eval_field(
        &mut self,
        dot: &Operand,
        key: &Key,
        node: &'t Arg,
        args: &'t [Arg],
        final_: Option<Operand>,
        receiver: Operand,
    ) -> EResult<Operand> {
        let name = key.as_str();
        match &receiver.value {
            Value::Invalid => {
                if self.shared.options.strict {
                    return Err(
                        self.errorf(format!("nil data; no entry for key {}", go_quote(name)))
                    );
                }
                return Ok(Operand::plain(Value::Invalid));
            }
            Value::Nil => {
                return Err(self.errorf(format!(
                    "nil pointer evaluating {}.{name}",
                    receiver.static_type()
                )));
            }
            _ => {}
        }
        if let Some(method) = methods::method_of(&receiver.value, name) {
            let call_args = args.get(1..).unwrap_or(&[]);
            return self.eval_call(
                dot,
                Callee::Native(method),
                Some(receiver.value.clone()),
                At::Arg(node),
                name,
                call_args,
                final_,
            );
        }
        let has_args = args.len() > 1 || final_.is_some();
        match &receiver.value {
            Value::Map(m) => {
                if has_args {
                    return Err(self.errorf(format!("{name} is not a method but has arguments")));
                }
                match m.get(key) {
                    Some(v) => Ok(map_element(m.ty(), v)),
                    None => {
                        if self.shared.options.strict {
                            return Err(
                                self.errorf(format!("map has no entry for key {}", go_quote(name)))
                            );
                        }
                        Ok(map_element(m.ty(), zero_of_map_elem(m.ty())))
                    }
                }
            }
            Value::Object(o) => {
                if let Some(v) = o.field(name) {
                    if has_args {
                        return Err(self.errorf(format!(
                            "{name} has arguments but cannot be invoked as function"
                        )));
                    }
                    return Ok(Operand::plain(v));
                }
                Err(self.errorf(format!(
                    "can't evaluate field {name} in type {}",
                    receiver.static_type()
                )))
            }
            _ => Err(self.errorf(format!(
                "can't evaluate field {name} in type {}",
                receiver.static_type()
            ))),
        }
    }

    /// Go's `evalCall`: argument count and conversion, `and`/`or` short-circuit, the call, and
    /// `error calling NAME: ...` on failure. `receiver` is set for method calls.
    #[allow(clippy::too_many_arguments)]
    fn eval_call(
        &mut self,
        dot: &Operand,
        callee: Callee,
        receiver: Option<Value>,
        node: At<'t>,
        name: &str,
        args: &'t [Arg],
        final_: Option<Operand>,
    ) -> EResult<Operand> {
        let (params, variadic) = signature(callee);
        let num_in = args.len() + usize::from(final_.is_some());
        let num_fixed = if variadic.is_some() {
            params.len()
        } else {
            args.len()
        };
        if variadic.is_some() {
            if num_in < num_fixed {
                return Err(self.errorf(format!(
                    "wrong number of args for {name}: want at least {} got {}",
                    params.len(),
                    args.len()
                )));
            }
        } else if num_in != params.len() {
            return Err(self.errorf(format!(
                "wrong number of args for {name}: want {} got {num_in}",
                params.len()
            )));
        }

        if let Callee::Builtin(b @ (Builtin::And | Builtin::Or)) = callee {
            let want = b == Builtin::Or;
            let mut v = Value::Invalid;
            for arg in args {
                v = self.eval_arg(dot, GoType::Reflect, arg)?;
                if builtins::truth(&v) == want {
                    return Ok(Operand::plain(v));
                }
            }
            if let Some(f) = final_ {
                v = self.validate_type(f, GoType::Reflect)?;
            }
            return Ok(Operand::plain(v));
        }

        let mut argv = Args::with_capacity(num_in + usize::from(receiver.is_some()));
        if let Some(r) = receiver {
            argv.push(r);
        }
        let mut i = 0;
        while i < num_fixed && i < args.len() {
            argv.push(self.eval_arg(dot, params[i], &args[i])?);
            i += 1;
        }
        if let Some(vt) = variadic {
            while i < args.len() {
                argv.push(self.eval_arg(dot, vt, &args[i])?);
                i += 1;
            }
        }
        if let Some(f) = final_ {
            let t = match variadic {
                Some(vt) if num_in > num_fixed => vt,
                _ => params.get(num_in - 1).copied().unwrap_or(GoType::Any),
            };
            argv.push(self.validate_type(f, t)?);
        }

        let result = match callee {
            Callee::Native(func) => {
                let mut ctx = FnCtx::new(self.shared.random, self.shared.env);
                let result = (func.call)(&mut ctx, argv).map_err(Cause::from);
                if ctx.used_outside_inputs() {
                    self.shared.outside_inputs += 1;
                }
                result
            }
            Callee::Builtin(b) => builtins::call(b, &argv, args).map_err(Cause::Text),
            Callee::Engine(e) => self.call_engine(e, &argv),
        };
        match result {
            Ok(v) => Ok(if matches!(v, Value::Nil) {
                Operand::boxed(v)
            } else {
                Operand::plain(v)
            }),
            Err(cause) => {
                self.at = node;
                Err(self.error_with(format!("error calling {name}: "), Some(cause)))
            }
        }
    }

    /// Go's `evalArg` with a `nil` type (the receiver of a chain).
    fn eval_arg_untyped(&mut self, dot: &Operand, n: &'t Arg) -> EResult<Operand> {
        self.at = At::Arg(n);
        Ok(match n {
            Arg::Dot(_) => dot.clone(),
            Arg::Field { idents, .. } => {
                self.eval_field_chain(dot, dot.clone(), n, idents, std::slice::from_ref(n), None)?
            }
            Arg::Variable { idents, .. } => self.eval_variable(dot, n, idents, &[], None)?,
            Arg::Pipe(p) => Operand::plain(self.eval_pipeline(dot, p)?),
            Arg::Identifier { callee, .. } => {
                self.eval_call(dot, *callee, None, At::Arg(n), callee.name(), &[], None)?
            }
            Arg::Chain { node, fields, .. } => self.eval_chain(dot, n, node, fields, &[], None)?,
            _ => Operand::plain(self.eval_empty_interface(dot, n)?),
        })
    }

    /// Go's `evalArg`: evaluates one argument and converts it to the parameter type.
    fn eval_arg(&mut self, dot: &Operand, typ: GoType, n: &'t Arg) -> EResult<Value> {
        self.at = At::Arg(n);
        match n {
            Arg::Dot(_) => return self.validate_type(dot.clone(), typ),
            Arg::Nil(_) => {
                if can_be_nil(typ) {
                    return Ok(Value::Nil);
                }
                return Err(self.errorf(format!("cannot assign nil to {}", typ.name())));
            }
            Arg::Field { idents, .. } => {
                let v = self.eval_field_chain(
                    dot,
                    dot.clone(),
                    n,
                    idents,
                    std::slice::from_ref(n),
                    None,
                )?;
                return self.validate_type(v, typ);
            }
            Arg::Variable { idents, .. } => {
                let v = self.eval_variable(dot, n, idents, &[], None)?;
                return self.validate_type(v, typ);
            }
            Arg::Pipe(p) => {
                let v = self.eval_pipeline(dot, p)?;
                return self.validate_type(Operand::plain(v), typ);
            }
            Arg::Identifier { callee, .. } => {
                let v = self.eval_call(dot, *callee, None, At::Arg(n), callee.name(), &[], None)?;
                return self.validate_type(v, typ);
            }
            Arg::Chain { node, fields, .. } => {
                let v = self.eval_chain(dot, n, node, fields, &[], None)?;
                return self.validate_type(v, typ);
            }
            _ => {}
        }
        match typ {
            GoType::Bool => match n {
                Arg::Bool(_, b) => Ok(Value::Bool(*b)),
                _ => Err(self.errorf(format!("expected bool; found {n}"))),
            },
            GoType::Float64 => match n {
                Arg::Number(_, num) if num.is_float => Ok(Value::Float(num.float64)),
                _ => Err(self.errorf(format!("expected float; found {n}"))),
            },
            GoType::Int | GoType::Int64 | GoType::IntNamed(_) => match n {
                Arg::Number(_, num) if num.is_int => Ok(Value::Int(
                    num.int64,
                    if typ == GoType::Int {
                        IntType::Int
                    } else {
                        IntType::Int64
                    },
                )),
                _ => Err(self.errorf(format!("expected integer; found {n}"))),
            },
            GoType::Any | GoType::Reflect => self.eval_empty_interface(dot, n),
            GoType::String => match n {
                Arg::String { text, .. } => Ok(Value::String(text.clone())),
                _ => Err(self.errorf(format!("expected string; found {n}"))),
            },
            GoType::ListAny
            | GoType::ListStr
            | GoType::MapAny
            | GoType::Bytes
            | GoType::Object(_) => {
                Err(self.errorf(format!("can't handle {n} for arg of type {}", typ.name())))
            }
        }
    }

    fn eval_empty_interface(&mut self, dot: &Operand, n: &'t Arg) -> EResult<Value> {
        self.at = At::Arg(n);
        match n {
            Arg::Bool(_, b) => Ok(Value::Bool(*b)),
            Arg::Dot(_) => Ok(dot.value.clone()),
            Arg::Number(_, num) => self.ideal_constant(n, num),
            Arg::String { text, .. } => Ok(Value::String(text.clone())),
            _ => Err(self.errorf(format!(
                "can't handle assignment of {n} to empty interface argument"
            ))),
        }
    }

    /// Go's `validateType`: checks that a value can be passed as `typ`.
    fn validate_type(&self, value: Operand, typ: GoType) -> EResult<Value> {
        let v = value.value;
        if let Value::Invalid = v {
            return match typ {
                GoType::Reflect => Ok(Value::Invalid),
                t if can_be_nil(t) => Ok(Value::Nil),
                t => Err(self.errorf(format!("invalid value; expected {}", t.name()))),
            };
        }
        let ok = match (typ, &v) {
            (GoType::Any | GoType::Reflect, _) => return Ok(v),
            (GoType::String, Value::String(_))
            | (GoType::Bool, Value::Bool(_))
            | (GoType::Int, Value::Int(_, IntType::Int))
            | (GoType::Int64, Value::Int(_, IntType::Int64))
            | (GoType::Float64, Value::Float(_))
            | (GoType::Bytes, Value::Bytes(_)) => true,
            (GoType::ListAny, Value::List(l)) => l.ty() == ListType::Any,
            (GoType::ListStr, Value::List(l)) => {
                if l.ty() == ListType::VersionSet {
                    return Ok(Value::List(l.retyped(ListType::Str)));
                }
                l.ty() == ListType::Str
            }
            (GoType::Object(name) | GoType::IntNamed(name), Value::Object(o)) => {
                o.type_name() == name
            }
            (GoType::MapAny, Value::Map(m)) => match m.ty() {
                MapType::Any => true,
                MapType::Values => return Ok(Value::Map(m.retyped(MapType::Any))),
                _ => false,
            },
            _ => false,
        };
        if ok {
            return Ok(v);
        }
        let got = if matches!(v, Value::Nil) {
            "interface {}".to_string()
        } else {
            v.type_name().into_owned()
        };
        Err(self.errorf(format!(
            "wrong type for value; expected {}; got {got}",
            typ.name()
        )))
    }

    // ---- Helm's engine functions ----

    fn call_engine(&mut self, f: EngineFn, argv: &[Value]) -> Result<Value, Cause> {
        let first = argv.first().and_then(Value::as_str).unwrap_or_default();
        let second = argv.get(1).cloned().unwrap_or(Value::Nil);
        match f {
            EngineFn::Include => self.include(first, second),
            EngineFn::Tpl => self.tpl(first, second),
            EngineFn::Lookup => {
                self.shared.outside_inputs += 1;
                let arg = |i: usize| argv.get(i).and_then(Value::as_str).unwrap_or_default();
                match self.shared.lookup {
                    None => Ok(Value::map(crate::value::Entries::new())),
                    Some(l) => l
                        .lookup(arg(0), arg(1), arg(2), arg(3))
                        .map_err(Cause::Text),
                }
            }
        }
    }

    fn include(&mut self, name: &str, data: Value) -> Result<Value, Cause> {
        let count = self.shared.included.get(name).copied();
        if let Some(v) = count
            && v > MAX_INCLUDE_NESTING
        {
            return Err(Cause::Text(format!(
                "rendering template has a nested reference name: {name}: unable to execute template"
            )));
        }
        // The same helper with the same dot, and nothing changed since: the same text.
        let memo_dot = match &data {
            Value::Map(m) => Some(m.clone()),
            _ => None,
        };
        if let Some(dot) = &memo_dot
            && let Some(output) = self.shared.memo.get(self.ns, name, dot)
        {
            return Ok(output);
        }
        let changes_before = mutation::count();
        let context_reads_before = mutation::context_reads();
        let outside_before = self.shared.outside_inputs;
        match self.shared.included.get_mut(name) {
            Some(c) => *c += 1,
            None => {
                self.shared.included.insert(name.to_string(), 1);
            }
        }
        let result = match self.ns.lookup(name) {
            None => Err(Cause::Text(format!(
                "template: no template {} associated with template {}",
                go_quote(name),
                go_quote(ROOT_NAME)
            ))),
            Some(tree) => {
                let data = if matches!(data, Value::Nil) {
                    Value::Invalid
                } else {
                    data
                };
                // The output goes to a reused buffer; the result is one exact-size copy.
                let mut out = self.shared.spare_buffers.pop().unwrap_or_default();
                let done = stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
                    execute_into(&tree, self.ns, data, self.shared, &mut out)
                });
                let result = done
                    .map(|()| Value::from(out.as_str()))
                    .map_err(|e| Cause::Template(Box::new(e)));
                out.clear();
                self.shared.spare_buffers.push(out);
                result
            }
        };
        if let Some(c) = self.shared.included.get_mut(name) {
            *c -= 1;
        }
        if let (Ok(output), Some(dot)) = (&result, memo_dot)
            && self.shared.outside_inputs == outside_before
        {
            let reads_context = mutation::context_reads() != context_reads_before;
            let output = output.clone();
            self.shared
                .memo
                .put(changes_before, self.ns, name, dot, output, reads_context);
        }
        result
    }

    fn tpl(&mut self, text: &str, vals: Value) -> Result<Value, Cause> {
        let ns = match self.shared.tpl_parsed.get(text) {
            Some(parsed) if Arc::ptr_eq(&parsed.parent, self.ns) => parsed.overlay.clone(),
            cached => {
                let trees = match cached {
                    Some(parsed) => parsed.trees.clone(),
                    None => {
                        let resolve = |n: &str| super::resolve_function(n);
                        let parsed = parser::parse(ROOT_NAME, text, &resolve).map_err(|e| {
                            Cause::Wrapped(
                                format!("cannot parse template {}: ", go_quote(text)),
                                Box::new(Cause::Template(Box::new(Error::Parse(e)))),
                            )
                        })?;
                        Arc::new(parsed.into_iter().map(|(n, t)| (n, Arc::new(t))).collect())
                    }
                };
                let ns = Arc::new(Namespace::overlay(self.ns.clone(), trees.iter().cloned()));
                let cache = &mut self.shared.tpl_parsed;
                if cache.len() < MAX_CACHED_TPL || cache.contains_key(text) {
                    cache.insert(
                        text.to_string(),
                        ParsedTpl {
                            trees,
                            parent: self.ns.clone(),
                            overlay: ns.clone(),
                        },
                    );
                }
                ns
            }
        };
        let Some(tree) = ns.lookup(ROOT_NAME) else {
            return Ok(Value::from(String::new()));
        };
        let data = if matches!(vals, Value::Nil) {
            Value::Invalid
        } else {
            vals
        };
        let out = stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            execute(&tree, &ns, data, self.shared)
        })
        .map_err(|e| {
            Cause::Wrapped(
                format!(
                    "error during tpl function execution for {}: ",
                    go_quote(text)
                ),
                Box::new(Cause::Template(Box::new(e))),
            )
        })?;
        Ok(Value::from(super::without_no_value(out)))
    }
}

/// An element read out of a map, with its static Go type.
fn map_element(ty: MapType, v: Value) -> Operand {
    match ty {
        MapType::Any | MapType::Values => Operand::boxed(v),
        MapType::Str | MapType::Files => Operand::plain(v),
    }
}

/// The zero value of a map's element type (Go's `missingkey=zero`).
fn zero_of_map_elem(ty: MapType) -> Value {
    match ty {
        MapType::Any | MapType::Values => Value::Nil,
        MapType::Str => Value::from(""),
        MapType::Files => Value::Bytes(Arc::from(&[][..])),
    }
}

/// Whether Go can assign an untyped nil to the type (`canBeNil`).
fn can_be_nil(t: GoType) -> bool {
    match t {
        GoType::Any
        | GoType::Reflect
        | GoType::ListAny
        | GoType::ListStr
        | GoType::MapAny
        | GoType::Bytes => true,
        GoType::Object(name) => name.starts_with('*'),
        _ => false,
    }
}

fn signature(callee: Callee) -> (&'static [GoType], Option<GoType>) {
    match callee {
        Callee::Native(f) => (f.params, f.variadic),
        Callee::Builtin(b) => builtins::signature(b),
        Callee::Engine(EngineFn::Include | EngineFn::Tpl) => (&[GoType::String, GoType::Any], None),
        Callee::Engine(EngineFn::Lookup) => (
            &[
                GoType::String,
                GoType::String,
                GoType::String,
                GoType::String,
            ],
            None,
        ),
    }
}

/// Writes a pipeline's value as an action prints it (`fmt.Fprint`, `<no value>` for nothing).
fn print_value(v: &Value, out: &mut String) {
    match v {
        Value::Invalid => out.push_str("<no value>"),
        other => crate::gofmt::write_value(out, other),
    }
}

impl From<FnError> for Cause {
    fn from(e: FnError) -> Cause {
        if e.helm_message {
            Cause::Helm(e.message)
        } else {
            Cause::Text(e.message)
        }
    }
}
