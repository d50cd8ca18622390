//! Turns the code of one run into a classic script V8 can execute.
//!
//! Every run is parsed as TypeScript (a superset of what agents send as
//! JavaScript). Types are stripped position-preserving (`swc_ts_fast_strip`),
//! so line and column numbers in errors are the user's own; code that needs
//! a real transform (enums, namespaces, parameter properties) falls back to
//! deno_ast's full transpile.
//!
//! Then a REPL-style rewrite makes runs compose in a session:
//! - top-level `let`/`const`/`class` become `var`-like globals, so a later
//!   run may declare the same name again (as in a REPL);
//! - code with a top-level `await` is wrapped in an async function whose
//!   last expression statement is returned, its declarations hoisted to
//!   globals: the run's result is still the script's completion value.
//!
//! **Invariant:** the rewrite never adds or removes a line break before user
//! code, so line numbers in stack traces match the submitted code.

use std::sync::Arc;

use deno_ast::swc::ast::{
    ArrowExpr, AwaitExpr, Decl, ForOfStmt, Function, ImportDecl, ImportSpecifier, ModuleDecl, ModuleExportName,
    ModuleItem, ObjectPatProp, Pat, Stmt, VarDeclKind,
};
use deno_ast::swc::common::{BytePos, Spanned};
use deno_ast::swc::ecma_visit::{Visit, VisitWith};
use deno_ast::{
    EmitOptions, MediaType, ModuleSpecifier, ParseParams, ParsedSource, SourceMapOption, TranspileModuleOptions,
    TranspileOptions, TypeStripOptions,
};

/// The name user code has in stack traces and syntax errors.
pub const SCRIPT_NAME: &str = "run_js";
const SPECIFIER: &str = "mcpv8:run_js";

/// Code ready for `execute_script`.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub code: String,
}

/// Why code could not be prepared; the message is meant for the agent.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct PrepareError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

pub fn prepare(source: &str) -> Result<Prepared, PrepareError> {
    let parsed = parse(source, MediaType::TypeScript)?;
    match deno_ast::type_strip(&specifier(), source.to_owned(), TypeStripOptions { module: Some(true) }) {
        // Stripping kept every position, so the TypeScript AST describes the output.
        Ok(stripped) => rewrite(&parsed, &stripped),
        Err(_) => {
            let emitted = parsed
                .transpile(
                    &TranspileOptions::default(),
                    &TranspileModuleOptions::default(),
                    &EmitOptions { source_map: SourceMapOption::None, ..Default::default() },
                )
                .map_err(|error| plain_error(error.to_string()))?
                .into_source()
                .text;
            let js = parse(&emitted, MediaType::JavaScript)?;
            rewrite(&js, &emitted)
        }
    }
}

/// A TypeScript module fetched by `import`, as JavaScript.
pub(crate) fn transpile_module(url: &ModuleSpecifier, source: &str) -> Result<String, String> {
    let media_type = if url.path().ends_with(".tsx") { MediaType::Tsx } else { MediaType::TypeScript };
    let parsed = deno_ast::parse_module(ParseParams {
        specifier: url.clone(),
        text: Arc::from(source),
        media_type,
        capture_tokens: false,
        scope_analysis: false,
        maybe_syntax: None,
    })
    .map_err(|diagnostic| diagnostic.to_string())?;
    let emitted = parsed
        .transpile(
            &TranspileOptions::default(),
            &TranspileModuleOptions::default(),
            &EmitOptions { source_map: SourceMapOption::None, ..Default::default() },
        )
        .map_err(|error| error.to_string())?;
    Ok(emitted.into_source().text)
}

fn specifier() -> ModuleSpecifier {
    ModuleSpecifier::parse(SPECIFIER).expect("a valid URL")
}

fn parse(source: &str, media_type: MediaType) -> Result<ParsedSource, PrepareError> {
    let parsed = deno_ast::parse_module(ParseParams {
        specifier: specifier(),
        text: Arc::from(source),
        media_type,
        capture_tokens: false,
        scope_analysis: false,
        maybe_syntax: None,
    })
    .map_err(|diagnostic| syntax_error(&diagnostic, source))?;
    if let Some(diagnostic) = parsed.diagnostics().first() {
        return Err(syntax_error(diagnostic, source));
    }
    Ok(parsed)
}

fn syntax_error(diagnostic: &deno_ast::ParseDiagnostic, source: &str) -> PrepareError {
    let position = diagnostic.display_position();
    let mut message = diagnostic.to_string().replace(SPECIFIER, SCRIPT_NAME);
    if looks_like_jsx(source) {
        message.push_str("\n(JSX/TSX is not supported: run_js takes JavaScript or TypeScript without JSX.)");
    }
    PrepareError { message, line: Some(position.line_number), column: Some(position.column_number) }
}

fn looks_like_jsx(source: &str) -> bool {
    source.contains("/>") || source.contains("</")
}

fn plain_error(message: String) -> PrepareError {
    PrepareError { message: message.replace(SPECIFIER, SCRIPT_NAME), line: None, column: None }
}

/// Byte index of a swc position in the parsed text (deno_ast starts at 1).
fn idx(pos: BytePos) -> usize {
    (pos.0 - 1) as usize
}

/// A text edit: replace `start..end` with `text`.
struct Edit {
    start: usize,
    end: usize,
    text: String,
}

fn rewrite(parsed: &ParsedSource, code: &str) -> Result<Prepared, PrepareError> {
    let program = parsed.program();
    let module = match &*program {
        deno_ast::swc::ast::Program::Module(module) => module,
        deno_ast::swc::ast::Program::Script(_) => unreachable!("parsed with parse_module"),
    };
    let mut stmts = Vec::with_capacity(module.body.len());
    let mut imports = Vec::new();
    for item in &module.body {
        match item {
            ModuleItem::Stmt(stmt) => stmts.push(stmt),
            ModuleItem::ModuleDecl(ModuleDecl::Import(import)) if import.type_only => {}
            ModuleItem::ModuleDecl(ModuleDecl::Import(import)) => imports.push(import),
            ModuleItem::ModuleDecl(decl) => {
                let (line, column) = line_col(code, idx(decl.span().lo));
                return Err(PrepareError {
                    message: format!(
                        "SyntaxError: export declarations are not available in run_js (it runs a script, not a module) at {SCRIPT_NAME}:{line}:{column}"
                    ),
                    line: Some(line),
                    column: Some(column),
                });
            }
        }
    }

    let mut finder = AwaitFinder::default();
    for stmt in &stmts {
        stmt.visit_with(&mut finder);
    }
    // An import becomes an awaited `import()`, so its run is wrapped too.
    finder.found |= !imports.is_empty();
    let mut edits = Vec::new();
    let mut hoisted: Vec<String> = Vec::new();
    let mut function_names: Vec<String> = Vec::new();
    for import in imports {
        edits.push(import_edit(import, code, &mut hoisted));
    }
    for stmt in &stmts {
        match stmt {
            Stmt::Decl(Decl::Var(var)) if !finder.found => {
                // `let`/`const` to `var`, padded so columns stay put.
                let start = idx(var.span.lo);
                match var.kind {
                    VarDeclKind::Let => edits.push(Edit { start, end: start + 3, text: "var".into() }),
                    VarDeclKind::Const => edits.push(Edit { start, end: start + 5, text: "var  ".into() }),
                    VarDeclKind::Var => {}
                }
            }
            Stmt::Decl(Decl::Var(var)) => {
                // In the async wrapper a declaration becomes an assignment to a hoisted global.
                let mut parts = Vec::new();
                for decl in &var.decls {
                    collect_names(&decl.name, &mut hoisted);
                    let pat = &code[idx(decl.name.span().lo)..idx(decl.name.span().hi)];
                    // Stripped type annotations leave blanks behind the name.
                    let pat = pat.trim_end();
                    match &decl.init {
                        Some(init) => parts.push(format!("{pat} = {}", &code[idx(init.span().lo)..idx(init.span().hi)])),
                        None if var.kind != VarDeclKind::Var => parts.push(format!("{pat} = undefined")),
                        None => {}
                    }
                }
                let text = if parts.is_empty() { ";".to_owned() } else { format!("void ({});", parts.join(", ")) };
                edits.push(Edit { start: idx(var.span.lo), end: idx(var.span.hi), text });
            }
            Stmt::Decl(Decl::Class(class)) => {
                let name = class.ident.sym.to_string();
                let start = idx(class.span().lo);
                let end = idx(class.span().hi);
                let body = &code[start..end];
                if finder.found {
                    hoisted.push(name.clone());
                    edits.push(Edit { start, end, text: format!("{name} = {body};") });
                } else {
                    edits.push(Edit { start, end, text: format!("var {name} = {body};") });
                }
            }
            Stmt::Decl(Decl::Fn(function)) if finder.found => {
                let name = function.ident.sym.to_string();
                hoisted.push(name.clone());
                function_names.push(name);
            }
            _ => {}
        }
    }

    if !finder.found {
        return Ok(Prepared { code: apply(code, edits, "") });
    }
    // The last expression statement is the run's result.
    if let Some(Stmt::Expr(expr)) = stmts.last() {
        let start = idx(expr.expr.span().lo);
        let end = idx(expr.expr.span().hi);
        let stmt_end = idx(expr.span.hi);
        edits.push(Edit { start, end: stmt_end, text: format!("return ({});", &code[start..end]) });
    }
    hoisted.sort();
    hoisted.dedup();
    let mut prefix = String::new();
    if !hoisted.is_empty() {
        prefix.push_str(&format!("var {}; ", hoisted.join(", ")));
    }
    prefix.push_str("(async () => { ");
    for name in &function_names {
        prefix.push_str(&format!("globalThis.{name} = {name}; "));
    }
    let mut out = apply(code, edits, &prefix);
    out.push_str("\n})()");
    Ok(Prepared { code: out })
}

/// `import d, { a as b } from "m" with {...}` becomes
/// `void ({ default: d, a: b } = await import("m", { with: {...} }));`, its
/// bindings hoisted to globals like the run's other declarations (evaluated
/// where the import stands, not before the rest of the code). Line breaks
/// inside the declaration are kept.
fn import_edit(import: &ImportDecl, code: &str, hoisted: &mut Vec<String>) -> Edit {
    let text_of = |span: deno_ast::swc::common::Span| &code[idx(span.lo)..idx(span.hi)];
    let options = import.with.as_ref().map(|with| format!(", {{ with: {} }}", text_of(with.span))).unwrap_or_default();
    let call = format!("await import({}{options})", text_of(import.src.span));
    let mut names = Vec::new();
    let mut namespace = None;
    let mut only_types = !import.specifiers.is_empty();
    for specifier in &import.specifiers {
        match specifier {
            ImportSpecifier::Named(named) if named.is_type_only => continue,
            ImportSpecifier::Named(named) => {
                let local = named.local.sym.to_string();
                let key = match &named.imported {
                    Some(ModuleExportName::Ident(ident)) => ident.sym.to_string(),
                    Some(ModuleExportName::Str(name)) => text_of(name.span).to_owned(),
                    None => local.clone(),
                };
                names.push(format!("{key}: {local}"));
                hoisted.push(local);
            }
            ImportSpecifier::Default(default) => {
                let local = default.local.sym.to_string();
                names.push(format!("default: {local}"));
                hoisted.push(local);
            }
            ImportSpecifier::Namespace(all) => {
                let local = all.local.sym.to_string();
                namespace = Some(local.clone());
                hoisted.push(local);
            }
        }
        only_types = false;
    }
    let names = names.join(", ");
    let mut text = match namespace {
        Some(all) if names.is_empty() => format!("void ({all} = {call});"),
        Some(all) => format!("void ({all} = {call}, {{ {names} }} = {all});"),
        None if !names.is_empty() => format!("void ({{ {names} }} = {call});"),
        // TypeScript drops an import of types only.
        None if only_types => ";".to_owned(),
        None => format!("{call};"),
    };
    let (start, end) = (idx(import.span.lo), idx(import.span.hi));
    text.extend(std::iter::repeat_n('\n', code[start..end].matches('\n').count()));
    Edit { start, end, text }
}

fn apply(code: &str, mut edits: Vec<Edit>, prefix: &str) -> String {
    edits.sort_by_key(|e| e.start);
    let mut out = String::with_capacity(code.len() + prefix.len() + 64);
    out.push_str(prefix);
    let mut at = 0;
    for edit in edits {
        out.push_str(&code[at..edit.start]);
        out.push_str(&edit.text);
        at = edit.end;
    }
    out.push_str(&code[at..]);
    out
}

fn line_col(code: &str, byte: usize) -> (usize, usize) {
    let before = &code[..byte.min(code.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, column)
}

fn collect_names(pat: &Pat, names: &mut Vec<String>) {
    match pat {
        Pat::Ident(ident) => names.push(ident.id.sym.to_string()),
        Pat::Array(array) => array.elems.iter().flatten().for_each(|p| collect_names(p, names)),
        Pat::Rest(rest) => collect_names(&rest.arg, names),
        Pat::Object(object) => {
            for prop in &object.props {
                match prop {
                    ObjectPatProp::KeyValue(kv) => collect_names(&kv.value, names),
                    ObjectPatProp::Assign(assign) => names.push(assign.key.id.sym.to_string()),
                    ObjectPatProp::Rest(rest) => collect_names(&rest.arg, names),
                }
            }
        }
        Pat::Assign(assign) => collect_names(&assign.left, names),
        Pat::Invalid(_) | Pat::Expr(_) => {}
    }
}

/// Finds an `await` that is not inside a function.
#[derive(Default)]
struct AwaitFinder {
    found: bool,
}

impl Visit for AwaitFinder {
    fn visit_await_expr(&mut self, _: &AwaitExpr) {
        self.found = true;
    }
    fn visit_for_of_stmt(&mut self, stmt: &ForOfStmt) {
        if stmt.is_await {
            self.found = true;
        }
        stmt.visit_children_with(self);
    }
    fn visit_function(&mut self, _: &Function) {}
    fn visit_arrow_expr(&mut self, _: &ArrowExpr) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_script_keeps_completion_and_lines() {
        let p = prepare("const a = 1;\nlet b: number = 2;\na + b").unwrap();
        assert!(!p.code.contains("async"));
        assert_eq!(p.code.lines().count(), 3);
        assert!(p.code.starts_with("var   a = 1;"), "{}", p.code);
    }

    #[test]
    fn top_level_await_is_wrapped_and_returns_last_expression() {
        let p = prepare("const x = await Promise.resolve(2);\nfunction f() { return x }\nf() * 2").unwrap();
        assert!(p.code.starts_with("var f, x; (async () => { globalThis.f = f; void (x = await"), "{}", p.code);
        assert!(p.code.contains("return (f() * 2);"), "{}", p.code);
        assert_eq!(p.code.lines().count(), 4);
    }

    #[test]
    fn enums_fall_back_to_transpile() {
        let p = prepare("enum Color { Red, Green }\nColor.Green").unwrap();
        assert!(p.code.contains("Color"), "{}", p.code);
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let error = prepare("let a = 1;\nlet b = ;").unwrap_err();
        assert_eq!(error.line, Some(2));
        assert!(error.message.contains("run_js:2:"), "{}", error.message);
    }

    #[test]
    fn exports_are_refused_and_jsx_is_named() {
        assert!(prepare("export const x = 1;").unwrap_err().message.contains("export declarations"));
        assert!(prepare("const a = <div>hi</div>;").unwrap_err().message.contains("JSX"));
    }

    #[test]
    fn imports_become_awaited_dynamic_imports_keeping_lines() {
        let p = prepare("import d, { a as b, type T, c } from 'npm:m';\nimport * as ns from \"https://x/m.js\";\nimport 'npm:side';\nimport {\n  type U,\n} from 'npm:t';\nimport j from './j.json' with { type: 'json' };\nd + b + c").unwrap();
        assert!(p.code.starts_with("var b, c, d, j, ns; (async () => { void ({ default: d, a: b, c: c } = await import('npm:m'));\n"), "{}", p.code);
        assert!(p.code.contains("void (ns = await import(\"https://x/m.js\"));\nawait import('npm:side');\n;\n\n\n"), "{}", p.code);
        assert!(p.code.contains("void ({ default: j } = await import('./j.json', { with: { type: 'json' } }));"), "{}", p.code);
        assert!(p.code.contains("return (d + b + c);"), "{}", p.code);
        assert_eq!(p.code.lines().count(), 9); // and the wrapper's closing line
        let both = prepare("import d, * as all from 'npm:m'; d").unwrap();
        assert!(both.code.contains("void (all = await import('npm:m'), { default: d } = all);"), "{}", both.code);
    }
}
