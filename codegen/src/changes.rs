//! What changed for users of a generated client between two versions of a spec: the IR of the
//! old spec compared with the IR of the new one.
//!
//! Operations are matched by operation id, types by name, fields and parameters by wire name,
//! enum variants by wire value. Each change says whether code written against the old client
//! may stop compiling or behaving as before (`breaking`), and where in the spec it comes from
//! (the new spec's pointer; for something removed, the old spec's).

use std::collections::{BTreeSet, HashMap};

use crate::ir::{
    Api, Body, BodyKind, Field, MultipartPart, Operation, Param, PartKind, Pointer, Response,
    StatusMatch, TypeDef, TypeId, TypeKind, TypeRef, Union,
};

/// What kind of change (also the stable name shown in reports, see [`ChangeKind::name`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    OperationAdded,
    OperationRemoved,
    OperationMoved,
    ParamAdded,
    ParamRemoved,
    ParamBecameRequired,
    ParamBecameOptional,
    ParamTypeChanged,
    BodyAdded,
    BodyRemoved,
    BodyChanged,
    TypeAdded,
    TypeRemoved,
    TypeKindChanged,
    FieldAdded,
    FieldRemoved,
    FieldBecameRequired,
    FieldBecameOptional,
    FieldTypeChanged,
    EnumValueAdded,
    EnumValueRemoved,
    OutputChanged,
    ResponseAdded,
    ResponseRemoved,
    ResponseChanged,
}

impl ChangeKind {
    /// The kebab-case name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            ChangeKind::OperationAdded => "operation-added",
            ChangeKind::OperationRemoved => "operation-removed",
            ChangeKind::OperationMoved => "operation-moved",
            ChangeKind::ParamAdded => "parameter-added",
            ChangeKind::ParamRemoved => "parameter-removed",
            ChangeKind::ParamBecameRequired => "parameter-became-required",
            ChangeKind::ParamBecameOptional => "parameter-became-optional",
            ChangeKind::ParamTypeChanged => "parameter-type-changed",
            ChangeKind::BodyAdded => "body-added",
            ChangeKind::BodyRemoved => "body-removed",
            ChangeKind::BodyChanged => "body-changed",
            ChangeKind::TypeAdded => "type-added",
            ChangeKind::TypeRemoved => "type-removed",
            ChangeKind::TypeKindChanged => "type-kind-changed",
            ChangeKind::FieldAdded => "field-added",
            ChangeKind::FieldRemoved => "field-removed",
            ChangeKind::FieldBecameRequired => "field-became-required",
            ChangeKind::FieldBecameOptional => "field-became-optional",
            ChangeKind::FieldTypeChanged => "field-type-changed",
            ChangeKind::EnumValueAdded => "enum-value-added",
            ChangeKind::EnumValueRemoved => "enum-value-removed",
            ChangeKind::OutputChanged => "output-changed",
            ChangeKind::ResponseAdded => "response-added",
            ChangeKind::ResponseRemoved => "response-removed",
            ChangeKind::ResponseChanged => "response-changed",
        }
    }
}

/// One change to the generated API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    /// Code written against the old client may no longer compile or may behave differently.
    pub breaking: bool,
    /// The node in the new spec (in the old spec for something removed).
    pub pointer: Pointer,
    pub message: String,
}

/// The changes from `old` to `new`: operations first (in the new API's order, removals after),
/// then types.
pub fn api_changes(old: &Api, new: &Api) -> Vec<Change> {
    let mut diff = Diff {
        old: Side::new(old),
        new: Side::new(new),
        changes: Vec::new(),
    };
    diff.operations();
    diff.types();
    diff.changes
}

/// One of the two APIs compared, with its types and operations indexed by name and id.
struct Side<'a> {
    api: &'a Api,
    types: HashMap<&'a str, TypeId>,
    operations: HashMap<&'a str, &'a Operation>,
}

impl<'a> Side<'a> {
    fn new(api: &'a Api) -> Self {
        let types = (api.types.iter().enumerate())
            .map(|(i, def)| (def.name.as_str(), TypeId::from_index(i)))
            .collect();
        let operations = (api.operations.iter())
            .map(|op| (op.id.as_str(), op))
            .collect();
        Self {
            api,
            types,
            operations,
        }
    }

    fn def(&self, id: TypeId) -> &'a TypeDef {
        self.api.ty(id)
    }

    /// The Rust spelling of a reference, for messages.
    fn spell(&self, ty: &TypeRef) -> String {
        ty.display(&self.api.types).to_string()
    }
}

/// The comparison of two APIs and the changes found so far.
struct Diff<'a> {
    old: Side<'a>,
    new: Side<'a>,
    changes: Vec<Change>,
}

impl Diff<'_> {
    fn push(&mut self, kind: ChangeKind, breaking: bool, pointer: &Pointer, message: String) {
        self.changes.push(Change {
            kind,
            breaking,
            pointer: pointer.clone(),
            message,
        });
    }

    fn operations(&mut self) {
        for op in &self.new.api.operations {
            match self.old.operations.get(op.id.as_str()) {
                None => self.push(
                    ChangeKind::OperationAdded,
                    false,
                    &op.pointer,
                    format!(
                        "operation `{}` ({} {}) added: `Client::{}`",
                        op.id, op.http_method, op.path, op.method_name
                    ),
                ),
                Some(before) => self.operation(before, op),
            }
        }
        for op in &self.old.api.operations {
            if !self.new.operations.contains_key(op.id.as_str()) {
                self.push(
                    ChangeKind::OperationRemoved,
                    true,
                    &op.pointer,
                    format!(
                        "operation `{}` ({} {}) removed: `Client::{}` is gone",
                        op.id, op.http_method, op.path, op.method_name
                    ),
                );
            }
        }
    }

    fn types(&mut self) {
        let inputs = input_types(self.new.api);
        for (i, ty) in self.new.api.types.iter().enumerate() {
            match self.old.types.get(ty.name.as_str()) {
                None => self.push(
                    ChangeKind::TypeAdded,
                    false,
                    &ty.pointer,
                    format!("type `{}` added", ty.name),
                ),
                Some(&before) => {
                    let input = inputs.contains(&TypeId::from_index(i));
                    self.type_def(self.old.def(before), ty, input)
                }
            }
        }
        for ty in &self.old.api.types {
            if !self.new.types.contains_key(ty.name.as_str()) {
                self.push(
                    ChangeKind::TypeRemoved,
                    true,
                    &ty.pointer,
                    format!("type `{}` removed", ty.name),
                );
            }
        }
    }

    /// Whether a reference of the old API and one of the new name the same Rust type (named
    /// types are matched by name).
    fn same_type(&self, old: &TypeRef, new: &TypeRef) -> bool {
        match (old, new) {
            (TypeRef::Named(a), TypeRef::Named(b)) => {
                self.old.def(*a).name == self.new.def(*b).name
            }
            (TypeRef::List(a), TypeRef::List(b))
            | (TypeRef::Map(a), TypeRef::Map(b))
            | (TypeRef::Option(a), TypeRef::Option(b))
            | (TypeRef::Boxed(a), TypeRef::Boxed(b)) => self.same_type(a, b),
            (TypeRef::Integer(a), TypeRef::Integer(b)) => a == b,
            (TypeRef::Float(a), TypeRef::Float(b)) => a == b,
            (TypeRef::String, TypeRef::String)
            | (TypeRef::Bool, TypeRef::Bool)
            | (TypeRef::Uuid, TypeRef::Uuid)
            | (TypeRef::Json, TypeRef::Json) => true,
            _ => false,
        }
    }

    fn same_optional_type(&self, old: Option<&TypeRef>, new: Option<&TypeRef>) -> bool {
        match (old, new) {
            (Some(a), Some(b)) => self.same_type(a, b),
            (None, None) => true,
            _ => false,
        }
    }

    /// Whether two request bodies are sent from the same Rust value in the same encoding.
    fn same_body(&self, old: &Body, new: &Body) -> bool {
        let same_part = |a: &MultipartPart, b: &MultipartPart| {
            let same_kind = match (&a.kind, &b.kind) {
                (PartKind::Value(x), PartKind::Value(y)) => self.same_type(x, y),
                (x, y) => x == y,
            };
            same_kind
                && a.name == b.name
                && a.wire_name == b.wire_name
                && a.required == b.required
                && a.content_type == b.content_type
        };
        let same_kind = match (&old.kind, &new.kind) {
            (BodyKind::Json(a), BodyKind::Json(b))
            | (BodyKind::Form(a), BodyKind::Form(b))
            | (BodyKind::MultipartFields(a), BodyKind::MultipartFields(b)) => self.same_type(a, b),
            (BodyKind::Multipart(a), BodyKind::Multipart(b)) => {
                a.type_name == b.type_name
                    && a.parts.len() == b.parts.len()
                    && a.parts.iter().zip(&b.parts).all(|(x, y)| same_part(x, y))
            }
            (BodyKind::Text, BodyKind::Text) | (BodyKind::Bytes, BodyKind::Bytes) => true,
            _ => false,
        };
        same_kind && old.required == new.required
    }

    /// Whether two unions have the same variants (names, payload types and tag values), tag and
    /// fallback.
    fn same_union(&self, old: &Union, new: &Union) -> bool {
        old.tag == new.tag
            && old.fallback == new.fallback
            && old.tag_implied == new.tag_implied
            && old.variants.len() == new.variants.len()
            && old.variants.iter().zip(&new.variants).all(|(a, b)| {
                a.name == b.name
                    && a.tags == b.tags
                    && self.same_optional_type(a.ty.as_ref(), b.ty.as_ref())
            })
    }

    fn operation(&mut self, old: &Operation, new: &Operation) {
        let id = &new.id;
        if old.http_method != new.http_method || old.path != new.path {
            self.push(
                ChangeKind::OperationMoved,
                false,
                &new.pointer,
                format!(
                    "operation `{id}` moved from {} {} to {} {}",
                    old.http_method, old.path, new.http_method, new.path
                ),
            );
        }
        let same = |a: &Param, b: &Param| a.wire_name == b.wire_name && a.location == b.location;
        for param in &new.params {
            let what = format!(
                "{} parameter `{}` of `{id}`",
                param.location.as_str(),
                param.wire_name
            );
            match old.params.iter().find(|p| same(p, param)) {
                None if param.required => self.push(
                    ChangeKind::ParamAdded,
                    true,
                    &param.pointer,
                    format!("required {what} added: `{}` must be set", param.name),
                ),
                None => self.push(
                    ChangeKind::ParamAdded,
                    false,
                    &param.pointer,
                    format!("optional {what} added"),
                ),
                Some(before) => self.param(before, param, &what),
            }
        }
        for param in &old.params {
            if !new.params.iter().any(|p| same(p, param)) {
                self.push(
                    ChangeKind::ParamRemoved,
                    true,
                    &param.pointer,
                    format!(
                        "{} parameter `{}` of `{id}` removed",
                        param.location.as_str(),
                        param.wire_name
                    ),
                );
            }
        }
        match (&old.body, &new.body) {
            (None, Some(body)) => self.push(
                ChangeKind::BodyAdded,
                body.required,
                &body.pointer,
                format!(
                    "{} request body ({}) added to `{id}`",
                    if body.required {
                        "required"
                    } else {
                        "optional"
                    },
                    body.media_type
                ),
            ),
            (Some(body), None) => self.push(
                ChangeKind::BodyRemoved,
                true,
                &body.pointer,
                format!("request body of `{id}` removed"),
            ),
            (Some(a), Some(b)) if !self.same_body(a, b) => self.push(
                ChangeKind::BodyChanged,
                true,
                &b.pointer,
                format!(
                    "request body of `{id}` changed ({} → {})",
                    a.media_type, b.media_type
                ),
            ),
            _ => {}
        }
        self.responses(old, new);
    }

    /// The documented responses, matched by status. The successes make the operation's output
    /// (one body's type, or an enum of them); each error is a variant of the operation's error
    /// enum. Both enums are exhaustive: a variant added breaks a `match` as one removed does.
    fn responses(&mut self, old: &Operation, new: &Operation) {
        let id = &new.id;
        let (before, after) = (self.output(old, &self.old), self.output(new, &self.new));
        let output_changed = before != after;
        if output_changed {
            self.push(
                ChangeKind::OutputChanged,
                true,
                &new.pointer,
                format!("the output of `{id}` changed (`{before}` → `{after}`)"),
            );
        }
        // Successes of different bodies are the variants of an exhaustive success enum: one
        // added or removed breaks a `match` on it.
        let success_enum = old.success_type_name.is_some() || new.success_type_name.is_some();
        for (olds, news, what, breaking) in [
            (&old.success, &new.success, "success", success_enum),
            (&old.errors, &new.errors, "error", true),
        ] {
            for response in news {
                let status = status_text(response.status);
                match olds.iter().find(|r| r.status == response.status) {
                    None => self.push(
                        ChangeKind::ResponseAdded,
                        breaking,
                        &response.pointer,
                        format!("{what} response {status} added to `{id}`"),
                    ),
                    Some(earlier) if !self.same_response_body(earlier, response) => {
                        // A success's type change is the output change already reported.
                        if breaking || !output_changed {
                            self.push(
                                ChangeKind::ResponseChanged,
                                true,
                                &response.pointer,
                                format!("the body of {what} response {status} of `{id}` changed"),
                            );
                        }
                    }
                    Some(_) => {}
                }
            }
            for response in olds {
                if !news.iter().any(|r| r.status == response.status) {
                    self.push(
                        ChangeKind::ResponseRemoved,
                        breaking,
                        &response.pointer,
                        format!(
                            "{what} response {} removed from `{id}`",
                            status_text(response.status)
                        ),
                    );
                }
            }
        }
    }

    /// The Rust spelling of an operation's output: its success enum, the one success body's
    /// type, or `()`.
    fn output(&self, op: &Operation, side: &Side) -> String {
        if let Some(name) = &op.success_type_name {
            return name.clone();
        }
        match op.success.first().and_then(|r| r.body.value_type()) {
            Some(ty) => side.spell(&ty),
            None => "()".to_string(),
        }
    }

    fn same_response_body(&self, old: &Response, new: &Response) -> bool {
        std::mem::discriminant(&old.body) == std::mem::discriminant(&new.body)
            && self.same_optional_type(
                old.body.value_type().as_ref(),
                new.body.value_type().as_ref(),
            )
    }

    fn param(&mut self, before: &Param, param: &Param, what: &str) {
        if !before.required && param.required {
            self.push(
                ChangeKind::ParamBecameRequired,
                true,
                &param.pointer,
                format!("{what} became required (no longer an `Option`)"),
            );
        } else if before.required && !param.required {
            self.push(
                ChangeKind::ParamBecameOptional,
                true,
                &param.pointer,
                format!("{what} became optional (now an `Option`)"),
            );
        }
        if !self.same_type(&before.ty, &param.ty) {
            let message = format!(
                "{what} changed type from `{}` to `{}`",
                self.old.spell(&before.ty),
                self.new.spell(&param.ty)
            );
            self.push(ChangeKind::ParamTypeChanged, true, &param.pointer, message);
        }
    }

    fn type_def(&mut self, old: &TypeDef, new: &TypeDef, input: bool) {
        let name = &new.name;
        match (&old.kind, &new.kind) {
            (TypeKind::Struct { fields: before, .. }, TypeKind::Struct { fields: after, .. }) => {
                self.fields(name, before, after, input)
            }
            (TypeKind::Enum { variants: before }, TypeKind::Enum { variants: after }) => {
                for variant in after {
                    if !before.iter().any(|v| v.wire_value == variant.wire_value) {
                        self.push(
                            ChangeKind::EnumValueAdded,
                            false,
                            &variant.pointer,
                            format!(
                                "value `{}` added to enum `{name}` (`{name}::{}`; enums are open, \
                                 so it was already received as `Unknown`)",
                                variant.wire_value, variant.name
                            ),
                        );
                    }
                }
                for variant in before {
                    if !after.iter().any(|v| v.wire_value == variant.wire_value) {
                        self.push(
                            ChangeKind::EnumValueRemoved,
                            true,
                            &variant.pointer,
                            format!(
                                "value `{}` removed from enum `{name}` (`{name}::{}` is gone)",
                                variant.wire_value, variant.name
                            ),
                        );
                    }
                }
            }
            (TypeKind::Alias(before), TypeKind::Alias(after)) if !self.same_type(before, after) => {
                let message = format!(
                    "type `{name}` changed from `{}` to `{}`",
                    self.old.spell(before),
                    self.new.spell(after)
                );
                self.push(ChangeKind::TypeKindChanged, true, &new.pointer, message)
            }
            (TypeKind::Union(before), TypeKind::Union(after))
                if !self.same_union(before, after) =>
            {
                let names = |u: &Union| {
                    (u.variants.iter())
                        .map(|v| v.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let breaking = before.variants.iter().any(|v| {
                    !after.variants.iter().any(|w| {
                        w.name == v.name && self.same_optional_type(v.ty.as_ref(), w.ty.as_ref())
                    })
                });
                let message = format!(
                    "union `{name}` changed from [{}] to [{}]",
                    names(before),
                    names(after)
                );
                self.push(ChangeKind::TypeKindChanged, breaking, &new.pointer, message)
            }
            (a, b) if std::mem::discriminant(a) != std::mem::discriminant(b) => self.push(
                ChangeKind::TypeKindChanged,
                true,
                &new.pointer,
                format!(
                    "type `{name}` changed from {} to {}",
                    kind_name(a),
                    kind_name(b)
                ),
            ),
            _ => {}
        }
    }

    fn fields(&mut self, name: &str, before: &[Field], after: &[Field], input: bool) {
        for field in after {
            let Some(prev) = before.iter().find(|f| f.wire_name == field.wire_name) else {
                // A new required field breaks code that builds the struct (request bodies); in
                // a response it is only more to read.
                let breaking = field.required && input;
                let what = if field.required {
                    "required"
                } else {
                    "optional"
                };
                let note = if breaking {
                    " (sent in requests: must be set)"
                } else {
                    ""
                };
                self.push(
                    ChangeKind::FieldAdded,
                    breaking,
                    &field.pointer,
                    format!("{what} field `{}` added to `{name}`{note}", field.wire_name),
                );
                continue;
            };
            let optional = |f: &Field| !f.required || f.nullable;
            if optional(prev) && !optional(field) {
                self.push(
                    ChangeKind::FieldBecameRequired,
                    true,
                    &field.pointer,
                    format!(
                        "field `{}` of `{name}` became required (no longer an `Option`)",
                        field.wire_name
                    ),
                );
            } else if !optional(prev) && optional(field) {
                self.push(
                    ChangeKind::FieldBecameOptional,
                    true,
                    &field.pointer,
                    format!(
                        "field `{}` of `{name}` became optional (now an `Option`)",
                        field.wire_name
                    ),
                );
            }
            if !self.same_type(&prev.ty, &field.ty) {
                let message = format!(
                    "field `{}` of `{name}` changed type from `{}` to `{}`",
                    field.wire_name,
                    self.old.spell(&prev.ty),
                    self.new.spell(&field.ty)
                );
                self.push(ChangeKind::FieldTypeChanged, true, &field.pointer, message);
            }
        }
        for field in before {
            if !after.iter().any(|f| f.wire_name == field.wire_name) {
                self.push(
                    ChangeKind::FieldRemoved,
                    true,
                    &field.pointer,
                    format!("field `{}` removed from `{name}`", field.wire_name),
                );
            }
        }
    }
}

/// `200`, `4XX`, `default`.
fn status_text(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => code.to_string(),
        StatusMatch::Range(range) => format!("{range}XX"),
        StatusMatch::Default => "default".to_string(),
    }
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct { .. } => "a struct",
        TypeKind::Enum { .. } => "an enum",
        TypeKind::Alias(_) => "an alias",
        TypeKind::Union(_) => "a union",
    }
}

/// The named types users build to send: reachable from parameters and request bodies.
fn input_types(api: &Api) -> BTreeSet<TypeId> {
    let mut pending: Vec<TypeId> = (api.operations.iter())
        .flat_map(|op| op.refs())
        .filter(|(site, _)| site.is_input())
        .filter_map(|(_, ty)| ty.named())
        .collect();
    let mut seen = BTreeSet::new();
    while let Some(id) = pending.pop() {
        if seen.insert(id) {
            pending.extend(api.ty(id).kind.refs().filter_map(|(_, ty)| ty.named()));
        }
    }
    seen
}

/// The changes as text, one per line: `BREAKING|ok  kind  location  message`, breaking ones
/// first. `locate` turns a change's pointer into the place shown (e.g. `specs/x.yaml:12:5  #/a/b`).
pub fn render_text(changes: &[Change], locate: &dyn Fn(&Change) -> String) -> String {
    if changes.is_empty() {
        return "no API changes\n".to_string();
    }
    let mut out = String::new();
    for c in ordered(changes) {
        let flag = if c.breaking { "BREAKING" } else { "ok      " };
        out.push_str(&format!(
            "{flag}  {}  {}  {}\n",
            c.kind.name(),
            locate(c),
            c.message
        ));
    }
    let breaking = changes.iter().filter(|c| c.breaking).count();
    out.push_str(&format!("{} changes, {breaking} breaking\n", changes.len()));
    out
}

/// The changes as Markdown (a heading per group, one bullet each), e.g. for a pull request.
pub fn render_markdown(
    title: &str,
    changes: &[Change],
    locate: &dyn Fn(&Change) -> String,
) -> String {
    let mut out = format!("### {title}\n\n");
    if changes.is_empty() {
        out.push_str("No API changes.\n");
        return out;
    }
    for (heading, breaking) in [("Breaking changes", true), ("Other changes", false)] {
        let group: Vec<&Change> = changes.iter().filter(|c| c.breaking == breaking).collect();
        if group.is_empty() {
            continue;
        }
        out.push_str(&format!("**{heading}** ({})\n\n", group.len()));
        for c in group {
            out.push_str(&format!(
                "- `{}`: {} — `{}`\n",
                c.kind.name(),
                c.message,
                locate(c)
            ));
        }
        out.push('\n');
    }
    out
}

fn ordered(changes: &[Change]) -> Vec<&Change> {
    let mut sorted: Vec<&Change> = changes.iter().collect();
    // Stable: breaking first, document order within each group.
    sorted.sort_by_key(|c| !c.breaking);
    sorted
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Source;

    fn lower(text: &str) -> Api {
        crate::lower_spec(
            Source {
                name: "t.yaml",
                text,
            },
            None,
        )
        .expect("test spec lowers")
        .0
    }

    fn spec(paths: &str, schemas: &str) -> String {
        format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n{paths}components:\n  schemas:\n{schemas}"
        )
    }

    const PET: &str = "    Pet:\n      type: object\n      required: [id]\n      properties:\n        id: {type: string}\n        name: {type: string}\n        age: {type: integer, format: int32}\n    Color:\n      type: string\n      enum: [red, green]\n";

    const GET_PET: &str = "  /pets/{id}:\n    get:\n      operationId: getPet\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Pet'}\n";

    fn changes(old: &str, new: &str) -> Vec<(ChangeKind, bool)> {
        api_changes(&lower(old), &lower(new))
            .into_iter()
            .map(|c| (c.kind, c.breaking))
            .collect()
    }

    #[test]
    fn identical_specs_have_no_changes() {
        let s = spec(GET_PET, PET);
        assert_eq!(changes(&s, &s), []);
    }

    #[test]
    fn fields_added_and_removed() {
        let old = spec(GET_PET, PET);
        let new = spec(
            GET_PET,
            &PET.replace(
                "        age: {type: integer, format: int32}\n",
                "        nick: {type: string}\n",
            ),
        );
        assert_eq!(
            changes(&old, &new),
            [
                (ChangeKind::FieldAdded, false),
                (ChangeKind::FieldRemoved, true)
            ]
        );
    }

    #[test]
    fn field_became_required_and_changed_type() {
        let old = spec(GET_PET, PET);
        let new = spec(
            GET_PET,
            &PET.replace("required: [id]", "required: [id, name]")
                .replace(
                    "age: {type: integer, format: int32}",
                    "age: {type: integer, format: int64}",
                ),
        );
        let all = api_changes(&lower(&old), &lower(&new));
        assert_eq!(
            all.iter().map(|c| (c.kind, c.breaking)).collect::<Vec<_>>(),
            [
                (ChangeKind::FieldBecameRequired, true),
                (ChangeKind::FieldTypeChanged, true)
            ]
        );
        assert_eq!(
            all[0].pointer.as_str(),
            "#/components/schemas/Pet/properties/name"
        );
        assert!(
            all[1].message.contains("from `i32` to `i64`"),
            "{}",
            all[1].message
        );
    }

    #[test]
    fn enum_values_added_are_not_breaking_removed_are() {
        let old = spec(GET_PET, PET);
        let added = spec(GET_PET, &PET.replace("[red, green]", "[red, green, blue]"));
        assert_eq!(changes(&old, &added), [(ChangeKind::EnumValueAdded, false)]);
        let removed = spec(GET_PET, &PET.replace("[red, green]", "[red]"));
        assert_eq!(
            changes(&old, &removed),
            [(ChangeKind::EnumValueRemoved, true)]
        );
    }

    #[test]
    fn operations_added_and_removed() {
        let with = spec(GET_PET, PET);
        let without = spec("  {}\n", PET);
        assert_eq!(
            changes(&without, &with),
            [(ChangeKind::OperationAdded, false)]
        );
        let removed = api_changes(&lower(&with), &lower(&without));
        assert_eq!(removed.len(), 1);
        assert_eq!(removed[0].kind, ChangeKind::OperationRemoved);
        assert!(removed[0].breaking);
        assert_eq!(removed[0].pointer.as_str(), "#/paths/~1pets~1{id}/get");
    }

    #[test]
    fn parameters_added_required_break_optional_do_not() {
        let old = spec(GET_PET, PET);
        let optional = spec(
            &GET_PET.replace(
                "      responses:",
                "        - {name: verbose, in: query, schema: {type: boolean}}\n      responses:",
            ),
            PET,
        );
        assert_eq!(changes(&old, &optional), [(ChangeKind::ParamAdded, false)]);
        let required = spec(
            &GET_PET.replace(
                "      responses:",
                "        - {name: x-tenant, in: header, required: true, schema: {type: string}}\n      responses:",
            ),
            PET,
        );
        assert_eq!(changes(&old, &required), [(ChangeKind::ParamAdded, true)]);
        assert_eq!(changes(&required, &old), [(ChangeKind::ParamRemoved, true)]);
    }

    #[test]
    fn required_field_added_breaks_only_types_sent_in_requests() {
        let post = "  /pets:\n    post:\n      operationId: addPet\n      requestBody:\n        required: true\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/Pet'}\n      responses:\n        '204': {description: ok}\n";
        let new_pet = PET
            .replace("required: [id]", "required: [id, owner]")
            .replace(
                "        name:",
                "        owner: {type: string}\n        name:",
            );
        assert_eq!(
            changes(&spec(GET_PET, PET), &spec(GET_PET, &new_pet)),
            [(ChangeKind::FieldAdded, false)]
        );
        assert_eq!(
            changes(&spec(post, PET), &spec(post, &new_pet)),
            [(ChangeKind::FieldAdded, true)]
        );
    }

    #[test]
    fn outputs_and_documented_responses_are_compared() {
        let old = spec(GET_PET, PET);
        let list = GET_PET.replace(
            "schema: {$ref: '#/components/schemas/Pet'}",
            "schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}",
        );
        assert_eq!(
            changes(&old, &spec(&list, PET)),
            [(ChangeKind::OutputChanged, true)]
        );
        let error = "        '404':\n          description: missing\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Color'}\n";
        let with_error = format!("{GET_PET}{error}");
        assert_eq!(
            changes(&old, &spec(&with_error, PET)),
            [(ChangeKind::ResponseAdded, true)]
        );
        assert_eq!(
            changes(&spec(&with_error, PET), &old),
            [(ChangeKind::ResponseRemoved, true)]
        );
        let error_as_pet = with_error.replace("schemas/Color'}", "schemas/Pet'}");
        assert_eq!(
            changes(&spec(&with_error, PET), &spec(&error_as_pet, PET)),
            [(ChangeKind::ResponseChanged, true)]
        );
        let created = "        '201':\n          description: also ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Pet'}\n";
        let also_created = format!("{GET_PET}{created}");
        assert_eq!(
            changes(&old, &spec(&also_created, PET)),
            [(ChangeKind::ResponseAdded, false)],
            "a success of the same type leaves the output as it was"
        );
        // Successes of two bodies are an enum: a third is a variant more.
        let created_color = created.replace("schemas/Pet'}", "schemas/Color'}");
        let two = format!("{GET_PET}{created_color}");
        let accepted = "        '202':\n          description: later\n          content:\n            application/json:\n              schema: {type: string}\n";
        let three = format!("{two}{accepted}");
        assert_eq!(
            changes(&spec(&two, PET), &spec(&three, PET)),
            [(ChangeKind::ResponseAdded, true)]
        );
        assert_eq!(
            changes(&spec(&three, PET), &spec(&two, PET)),
            [(ChangeKind::ResponseRemoved, true)]
        );
    }

    #[test]
    fn renders_text_and_markdown() {
        let old = spec(GET_PET, PET);
        let new = spec("  {}\n", &PET.replace("[red, green]", "[red, green, blue]"));
        let all = api_changes(&lower(&old), &lower(&new));
        let text = render_text(&all, &|c| c.pointer.to_string());
        assert!(
            text.starts_with("BREAKING  operation-removed  #/paths/"),
            "{text}"
        );
        assert!(text.ends_with("2 changes, 1 breaking\n"), "{text}");
        let md = render_markdown("t", &all, &|c| c.pointer.to_string());
        assert!(md.contains("**Breaking changes** (1)"), "{md}");
        assert!(md.contains("**Other changes** (1)"), "{md}");
        assert_eq!(
            render_text(&[], &|c| c.pointer.to_string()),
            "no API changes\n"
        );
    }
}
