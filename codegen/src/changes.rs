//! What changed for users of a generated client between two versions of a spec: the IR of the
//! old spec compared with the IR of the new one.
//!
//! Operations are matched by operation id, types by name, fields and parameters by wire name,
//! enum variants by wire value. Each change says whether code written against the old client
//! may stop compiling or behaving as before (`breaking`), and where in the spec it comes from
//! (the new spec's pointer; for something removed, the old spec's).

use std::collections::BTreeSet;

use crate::ir::{Api, Operation, Param, ParamLocation, TypeDef, TypeKind, TypeRef};

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
        }
    }
}

/// One change to the generated API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    /// Code written against the old client may no longer compile or may behave differently.
    pub breaking: bool,
    /// The JSON pointer in the new spec (in the old spec for something removed).
    pub pointer: String,
    pub message: String,
}

/// The changes from `old` to `new`: operations first (in the new API's order, removals after),
/// then types.
pub fn api_changes(old: &Api, new: &Api) -> Vec<Change> {
    let mut changes = Vec::new();
    for op in &new.operations {
        match old.operations.iter().find(|o| o.id == op.id) {
            None => changes.push(change(
                ChangeKind::OperationAdded,
                false,
                &op.pointer,
                format!(
                    "operation `{}` ({} {}) added: `Client::{}`",
                    op.id, op.http_method, op.path, op.method_name
                ),
            )),
            Some(before) => operation_changes(before, op, &mut changes),
        }
    }
    for op in &old.operations {
        if !new.operations.iter().any(|o| o.id == op.id) {
            changes.push(change(
                ChangeKind::OperationRemoved,
                true,
                &op.pointer,
                format!(
                    "operation `{}` ({} {}) removed: `Client::{}` is gone",
                    op.id, op.http_method, op.path, op.method_name
                ),
            ));
        }
    }

    let inputs = input_types(new);
    for ty in &new.types {
        match old.types.iter().find(|t| t.name == ty.name) {
            None => changes.push(change(
                ChangeKind::TypeAdded,
                false,
                &ty.pointer,
                format!("type `{}` added", ty.name),
            )),
            Some(before) => type_changes(before, ty, inputs.contains(&ty.name), &mut changes),
        }
    }
    for ty in &old.types {
        if !new.types.iter().any(|t| t.name == ty.name) {
            changes.push(change(
                ChangeKind::TypeRemoved,
                true,
                &ty.pointer,
                format!("type `{}` removed", ty.name),
            ));
        }
    }
    changes
}

fn change(kind: ChangeKind, breaking: bool, pointer: &str, message: String) -> Change {
    Change {
        kind,
        breaking,
        pointer: pointer.to_string(),
        message,
    }
}

fn location_name(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

fn param_pointer(op: &Operation, param: &Param) -> String {
    format!(
        "{}/parameters/{}",
        op.pointer,
        crate::diagnostics::pointer([format!(
            "{}:{}",
            location_name(param.location),
            param.wire_name
        )])
        .trim_start_matches("#/")
    )
}

fn operation_changes(old: &Operation, new: &Operation, changes: &mut Vec<Change>) {
    let id = &new.id;
    if old.http_method != new.http_method || old.path != new.path {
        changes.push(change(
            ChangeKind::OperationMoved,
            false,
            &new.pointer,
            format!(
                "operation `{id}` moved from {} {} to {} {}",
                old.http_method, old.path, new.http_method, new.path
            ),
        ));
    }
    let same = |a: &Param, b: &Param| a.wire_name == b.wire_name && a.location == b.location;
    for param in &new.params {
        let pointer = param_pointer(new, param);
        let what = format!(
            "{} parameter `{}` of `{id}`",
            location_name(param.location),
            param.wire_name
        );
        match old.params.iter().find(|p| same(p, param)) {
            None if param.required => changes.push(change(
                ChangeKind::ParamAdded,
                true,
                &pointer,
                format!("required {what} added: `{}` must be set", param.name),
            )),
            None => changes.push(change(
                ChangeKind::ParamAdded,
                false,
                &pointer,
                format!("optional {what} added"),
            )),
            Some(before) => {
                if !before.required && param.required {
                    changes.push(change(
                        ChangeKind::ParamBecameRequired,
                        true,
                        &pointer,
                        format!("{what} became required (no longer an `Option`)"),
                    ));
                } else if before.required && !param.required {
                    changes.push(change(
                        ChangeKind::ParamBecameOptional,
                        true,
                        &pointer,
                        format!("{what} became optional (now an `Option`)"),
                    ));
                }
                if before.ty != param.ty {
                    changes.push(change(
                        ChangeKind::ParamTypeChanged,
                        true,
                        &pointer,
                        format!(
                            "{what} changed type from `{}` to `{}`",
                            type_name(&before.ty),
                            type_name(&param.ty)
                        ),
                    ));
                }
            }
        }
    }
    for param in &old.params {
        if !new.params.iter().any(|p| same(p, param)) {
            changes.push(change(
                ChangeKind::ParamRemoved,
                true,
                &param_pointer(old, param),
                format!(
                    "{} parameter `{}` of `{id}` removed",
                    location_name(param.location),
                    param.wire_name
                ),
            ));
        }
    }
    let body_pointer = format!("{}/requestBody", new.pointer);
    match (&old.body, &new.body) {
        (None, Some(body)) => changes.push(change(
            ChangeKind::BodyAdded,
            body.required,
            &body_pointer,
            format!(
                "{} request body ({}) added to `{id}`",
                if body.required {
                    "required"
                } else {
                    "optional"
                },
                body.media_type
            ),
        )),
        (Some(_), None) => changes.push(change(
            ChangeKind::BodyRemoved,
            true,
            &format!("{}/requestBody", old.pointer),
            format!("request body of `{id}` removed"),
        )),
        (Some(a), Some(b)) if a.kind != b.kind || a.required != b.required => changes.push(change(
            ChangeKind::BodyChanged,
            true,
            &body_pointer,
            format!(
                "request body of `{id}` changed ({} → {})",
                a.media_type, b.media_type
            ),
        )),
        _ => {}
    }
}

fn type_changes(old: &TypeDef, new: &TypeDef, input: bool, changes: &mut Vec<Change>) {
    let name = &new.name;
    match (&old.kind, &new.kind) {
        (TypeKind::Struct { fields: before, .. }, TypeKind::Struct { fields: after, .. }) => {
            for field in after {
                match before.iter().find(|f| f.wire_name == field.wire_name) {
                    None => {
                        // A new required field breaks code that builds the struct (request
                        // bodies); in a response it is only more to read.
                        let breaking = field.required && input;
                        let what = if field.required {
                            "required"
                        } else {
                            "optional"
                        };
                        changes.push(change(
                            ChangeKind::FieldAdded,
                            breaking,
                            &field.pointer,
                            format!(
                                "{what} field `{}` added to `{name}`{}",
                                field.wire_name,
                                if breaking {
                                    " (sent in requests: must be set)"
                                } else {
                                    ""
                                }
                            ),
                        ));
                    }
                    Some(prev) => {
                        let optional = |f: &crate::ir::Field| !f.required || f.nullable;
                        if optional(prev) && !optional(field) {
                            changes.push(change(
                                ChangeKind::FieldBecameRequired,
                                true,
                                &field.pointer,
                                format!(
                                    "field `{}` of `{name}` became required (no longer an `Option`)",
                                    field.wire_name
                                ),
                            ));
                        } else if !optional(prev) && optional(field) {
                            changes.push(change(
                                ChangeKind::FieldBecameOptional,
                                true,
                                &field.pointer,
                                format!(
                                    "field `{}` of `{name}` became optional (now an `Option`)",
                                    field.wire_name
                                ),
                            ));
                        }
                        if prev.ty != field.ty {
                            changes.push(change(
                                ChangeKind::FieldTypeChanged,
                                true,
                                &field.pointer,
                                format!(
                                    "field `{}` of `{name}` changed type from `{}` to `{}`",
                                    field.wire_name,
                                    type_name(&prev.ty),
                                    type_name(&field.ty)
                                ),
                            ));
                        }
                    }
                }
            }
            for field in before {
                if !after.iter().any(|f| f.wire_name == field.wire_name) {
                    changes.push(change(
                        ChangeKind::FieldRemoved,
                        true,
                        &field.pointer,
                        format!("field `{}` removed from `{name}`", field.wire_name),
                    ));
                }
            }
        }
        (TypeKind::Enum { variants: before }, TypeKind::Enum { variants: after }) => {
            let pointer = format!("{}/enum", new.pointer);
            for variant in after {
                if !before.iter().any(|v| v.wire_value == variant.wire_value) {
                    changes.push(change(
                        ChangeKind::EnumValueAdded,
                        false,
                        &pointer,
                        format!(
                            "value `{}` added to enum `{name}` (`{name}::{}`; enums are open, so \
                             it was already received as `Unknown`)",
                            variant.wire_value, variant.name
                        ),
                    ));
                }
            }
            for variant in before {
                if !after.iter().any(|v| v.wire_value == variant.wire_value) {
                    changes.push(change(
                        ChangeKind::EnumValueRemoved,
                        true,
                        &format!("{}/enum", old.pointer),
                        format!(
                            "value `{}` removed from enum `{name}` (`{name}::{}` is gone)",
                            variant.wire_value, variant.name
                        ),
                    ));
                }
            }
        }
        (TypeKind::Alias(before), TypeKind::Alias(after)) if before != after => {
            changes.push(change(
                ChangeKind::TypeKindChanged,
                true,
                &new.pointer,
                format!(
                    "type `{name}` changed from `{}` to `{}`",
                    type_name(before),
                    type_name(after)
                ),
            ))
        }
        (TypeKind::Union(before), TypeKind::Union(after)) if before != after => {
            let names = |u: &crate::ir::Union| {
                u.variants
                    .iter()
                    .map(|v| v.name.clone())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let breaking = before.variants.iter().any(|v| {
                !after
                    .variants
                    .iter()
                    .any(|w| w.name == v.name && w.ty == v.ty)
            });
            changes.push(change(
                ChangeKind::TypeKindChanged,
                breaking,
                &new.pointer,
                format!(
                    "union `{name}` changed from [{}] to [{}]",
                    names(before),
                    names(after)
                ),
            ))
        }
        (a, b) if std::mem::discriminant(a) != std::mem::discriminant(b) => changes.push(change(
            ChangeKind::TypeKindChanged,
            true,
            &new.pointer,
            format!(
                "type `{name}` changed from {} to {}",
                kind_name(a),
                kind_name(b)
            ),
        )),
        _ => {}
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

/// The Rust spelling of a type reference, as the generated code writes it.
pub fn type_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::Integer(kind) => format!("{kind:?}").to_ascii_lowercase(),
        TypeRef::Float(kind) => format!("{kind:?}").to_ascii_lowercase(),
        TypeRef::Uuid => "Uuid".into(),
        TypeRef::Json => "serde_json::Value".into(),
        TypeRef::Named(name) => name.clone(),
        TypeRef::List(inner) => format!("Vec<{}>", type_name(inner)),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", type_name(inner)),
        TypeRef::Option(inner) => format!("Option<{}>", type_name(inner)),
        TypeRef::Boxed(inner) => format!("Box<{}>", type_name(inner)),
    }
}

/// The named types users build to send: reachable from request bodies and parameters.
fn input_types(api: &Api) -> BTreeSet<String> {
    let mut pending: Vec<TypeRef> = Vec::new();
    for op in &api.operations {
        pending.extend(op.params.iter().map(|p| p.ty.clone()));
        if let Some(body) = &op.body {
            match &body.kind {
                crate::ir::BodyKind::Json(ty)
                | crate::ir::BodyKind::Form(ty)
                | crate::ir::BodyKind::MultipartFields(ty) => pending.push(ty.clone()),
                crate::ir::BodyKind::Multipart(form) => {
                    for part in &form.parts {
                        if let crate::ir::PartKind::Value(ty) = &part.kind {
                            pending.push(ty.clone());
                        }
                    }
                }
                crate::ir::BodyKind::Text | crate::ir::BodyKind::Bytes => {}
            }
        }
    }
    let mut seen = BTreeSet::new();
    while let Some(ty) = pending.pop() {
        match ty {
            TypeRef::Named(name) if seen.insert(name.clone()) => {
                let Some(def) = api.types.iter().find(|t| t.name == name) else {
                    continue;
                };
                match &def.kind {
                    TypeKind::Struct { fields, additional } => {
                        pending.extend(fields.iter().map(|f| f.ty.clone()));
                        pending.extend(additional.iter().map(|a| a.ty.clone()));
                    }
                    TypeKind::Alias(ty) => pending.push(ty.clone()),
                    TypeKind::Union(union) => {
                        pending.extend(union.variants.iter().filter_map(|v| v.ty.clone()))
                    }
                    TypeKind::Enum { .. } => {}
                }
            }
            TypeRef::List(inner)
            | TypeRef::Map(inner)
            | TypeRef::Option(inner)
            | TypeRef::Boxed(inner) => pending.push(*inner),
            _ => {}
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
        assert_eq!(all[0].pointer, "#/components/schemas/Pet/properties/name");
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
        assert_eq!(removed[0].pointer, "#/paths/~1pets~1{id}/get");
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
    fn renders_text_and_markdown() {
        let old = spec(GET_PET, PET);
        let new = spec("  {}\n", &PET.replace("[red, green]", "[red, green, blue]"));
        let all = api_changes(&lower(&old), &lower(&new));
        let text = render_text(&all, &|c| c.pointer.clone());
        assert!(
            text.starts_with("BREAKING  operation-removed  #/paths/"),
            "{text}"
        );
        assert!(text.ends_with("2 changes, 1 breaking\n"), "{text}");
        let md = render_markdown("t", &all, &|c| c.pointer.clone());
        assert!(md.contains("**Breaking changes** (1)"), "{md}");
        assert!(md.contains("**Other changes** (1)"), "{md}");
        assert_eq!(render_text(&[], &|c| c.pointer.clone()), "no API changes\n");
    }
}
