//! The one resolver of `$ref`s, for every section of `#/components` that lowering reads.
//!
//! Each section's chains (`A` → `B` → … → a definition) are followed once, when lowering
//! starts, so resolving any reference later is a look-up: lowering stays linear in the document
//! however long its chains are. One rule and one limit hold for every caller: a chain that meets
//! an entry again is a cycle, and a chain longer than [`MAX_REF_CHAIN`] is refused. Walks that
//! go on through the definitions they reach (merging `allOf`, reading a tag's values, finding
//! files) apply the same rule to the components they pass.

use indexmap::IndexMap;
use openapiv3::{OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema};

/// The most `$ref`s one chain may follow to reach a definition. Chains end or cycle long before
/// in any real document (the cycle rule catches loops exactly); this bounds what a generated
/// document can ask for.
pub(crate) const MAX_REF_CHAIN: usize = 10_000;

/// Why a `$ref` leads to no definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RefError {
    /// Not a reference into this document's `#/components/<section>`.
    Elsewhere(String),
    /// A reference to an entry that does not exist.
    Missing(String),
    /// The chain comes back to an entry it passed.
    Cycle(String),
    /// The chain is longer than [`MAX_REF_CHAIN`].
    TooLong(String),
}

impl RefError {
    /// What went wrong, in one sentence, for a reference into `section`.
    pub(crate) fn message(&self, section: &str) -> String {
        match self {
            RefError::Elsewhere(reference) => {
                format!("`{reference}` is not a reference to #/components/{section}")
            }
            RefError::Missing(reference) => format!("`{reference}` points to nothing"),
            RefError::Cycle(reference) => {
                format!("the chain of `$ref`s from `{reference}` comes back to itself")
            }
            RefError::TooLong(reference) => {
                format!("the chain of `$ref`s from `{reference}` is longer than {MAX_REF_CHAIN}")
            }
        }
    }
}

/// A reference resolved: the definition, and the entry it is (when reached through `$ref`s).
pub(crate) struct Resolved<'s, T> {
    /// The entry's index in its section and its key.
    pub(crate) entry: Option<(usize, &'s str)>,
    pub(crate) item: &'s T,
}

/// What is known of an entry's chain while the section is being resolved.
#[derive(Clone)]
enum State {
    Unvisited,
    /// On the chain being followed now.
    OnChain,
    /// The definition's entry and how many links lead there, or why there is none.
    Done(Result<(usize, usize), RefError>),
}

/// One `#/components/<section>` map with every entry's chain followed.
pub(crate) struct Section<'s, T> {
    name: &'static str,
    entries: Option<&'s IndexMap<String, ReferenceOr<T>>>,
    /// Per entry: the index of the entry whose definition its chain ends at.
    targets: Vec<Result<usize, RefError>>,
}

impl<'s, T> Section<'s, T> {
    fn new(name: &'static str, entries: Option<&'s IndexMap<String, ReferenceOr<T>>>) -> Self {
        let mut section = Self {
            name,
            entries,
            targets: Vec::new(),
        };
        section.targets = section.follow_all();
        section
    }

    /// Every entry's chain, each link followed once.
    fn follow_all(&self) -> Vec<Result<usize, RefError>> {
        let Some(entries) = self.entries else {
            return Vec::new();
        };
        let mut states = vec![State::Unvisited; entries.len()];
        for start in 0..entries.len() {
            if matches!(states[start], State::Done(_)) {
                continue;
            }
            let mut chain = Vec::new();
            let mut current = start;
            // Where the chain ends: at the definition it reached and the links from the last
            // entry on the chain to it, or why it reaches none.
            let end: Result<(usize, usize), RefError> = loop {
                match &states[current] {
                    State::Done(done) => break done.clone().map(|(at, links)| (at, links + 1)),
                    State::OnChain => break Err(RefError::Cycle(self.reference_to(start))),
                    State::Unvisited => {}
                }
                states[current] = State::OnChain;
                chain.push(current);
                match &entries[current] {
                    ReferenceOr::Item(_) => break Ok((current, 0)),
                    ReferenceOr::Reference { reference } => match self.index_of(reference) {
                        Ok(next) => current = next,
                        Err(error) => break Err(error),
                    },
                }
            };
            // Back along the chain, each entry one link further from the definition.
            let mut end = end;
            for &entry in chain.iter().rev() {
                if matches!(end, Ok((_, links)) if links > MAX_REF_CHAIN) {
                    end = Err(RefError::TooLong(self.reference_to(entry)));
                }
                states[entry] = State::Done(end.clone());
                end = end.map(|(at, links)| (at, links + 1));
            }
        }
        states
            .into_iter()
            .map(|state| match state {
                State::Done(done) => done.map(|(at, _)| at),
                State::Unvisited | State::OnChain => unreachable!("every chain was followed"),
            })
            .collect()
    }

    fn reference_to(&self, index: usize) -> String {
        let key = self
            .entries
            .and_then(|entries| entries.get_index(index))
            .map_or("", |(key, _)| key.as_str());
        format!("#/components/{}/{key}", self.name)
    }

    /// The index of the entry `reference` names (`#/components/<section>/<key>`).
    pub(crate) fn index_of(&self, reference: &str) -> Result<usize, RefError> {
        let key = reference
            .strip_prefix("#/components/")
            .and_then(|rest| rest.strip_prefix(self.name))
            .and_then(|rest| rest.strip_prefix('/'))
            .ok_or_else(|| RefError::Elsewhere(reference.to_string()))?;
        self.entries
            .and_then(|entries| entries.get_index_of(key))
            .ok_or_else(|| RefError::Missing(reference.to_string()))
    }

    /// The entry at `index`: its key and its value as written.
    pub(crate) fn entry(&self, index: usize) -> Option<(&'s str, &'s ReferenceOr<T>)> {
        let (key, value) = self.entries?.get_index(index)?;
        Some((key.as_str(), value))
    }

    /// The definition the entry `reference` names, following its chain.
    pub(crate) fn resolve_reference(&self, reference: &str) -> Result<Resolved<'s, T>, RefError> {
        let index = self.index_of(reference)?;
        let target = self.targets[index].clone()?;
        match self.entry(target) {
            Some((key, ReferenceOr::Item(item))) => Ok(Resolved {
                entry: Some((target, key)),
                item,
            }),
            _ => Err(RefError::Missing(reference.to_string())),
        }
    }

    /// The definition a value as written stands for: itself, or where its `$ref` leads.
    pub(crate) fn resolve(&self, value: &'s ReferenceOr<T>) -> Result<Resolved<'s, T>, RefError> {
        match value {
            ReferenceOr::Item(item) => Ok(Resolved { entry: None, item }),
            ReferenceOr::Reference { reference } => self.resolve_reference(reference),
        }
    }

    /// The section's name under `#/components` (for messages).
    pub(crate) fn name(&self) -> &'static str {
        self.name
    }
}

/// The sections of `#/components` that lowering reads, resolved.
pub(crate) struct Refs<'s> {
    pub(crate) schemas: Section<'s, Schema>,
    pub(crate) parameters: Section<'s, Parameter>,
    pub(crate) responses: Section<'s, Response>,
    pub(crate) request_bodies: Section<'s, RequestBody>,
}

impl<'s> Refs<'s> {
    pub(crate) fn new(spec: &'s OpenAPI) -> Self {
        let components = spec.components.as_ref();
        Self {
            schemas: Section::new("schemas", components.map(|c| &c.schemas)),
            parameters: Section::new("parameters", components.map(|c| &c.parameters)),
            responses: Section::new("responses", components.map(|c| &c.responses)),
            request_bodies: Section::new("requestBodies", components.map(|c| &c.request_bodies)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schemas(yaml: &str) -> OpenAPI {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{yaml}"
        );
        let loaded = crate::load::load(&text, crate::load::Format::Yaml).expect("loads");
        crate::parse::parse(&loaded.value).expect("parses")
    }

    #[test]
    fn chains_end_at_their_definition_and_cycles_are_caught() {
        let spec = schemas(
            "    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/C'}\n    C: {type: string}\n    X: {$ref: '#/components/schemas/Y'}\n    Y: {$ref: '#/components/schemas/X'}\n    Z: {$ref: '#/components/schemas/X'}\n    M: {$ref: '#/components/schemas/Nope'}\n",
        );
        let refs = Refs::new(&spec);
        let resolved = refs
            .schemas
            .resolve_reference("#/components/schemas/A")
            .ok()
            .and_then(|r| r.entry);
        assert_eq!(resolved, Some((2, "C")));
        for cyclic in ["X", "Y", "Z"] {
            let error = refs
                .schemas
                .resolve_reference(&format!("#/components/schemas/{cyclic}"))
                .err();
            assert!(matches!(error, Some(RefError::Cycle(_))), "{cyclic}");
        }
        assert!(matches!(
            refs.schemas
                .resolve_reference("#/components/schemas/M")
                .err(),
            Some(RefError::Missing(_))
        ));
        assert!(matches!(
            refs.schemas.resolve_reference("other.yaml#/A").err(),
            Some(RefError::Elsewhere(_))
        ));
    }

    #[test]
    fn a_chain_longer_than_the_limit_is_refused() {
        let count = MAX_REF_CHAIN + 2;
        let mut yaml = String::new();
        for i in 0..count {
            yaml.push_str(&format!(
                "    S{i}: {{$ref: '#/components/schemas/S{}'}}\n",
                i + 1
            ));
        }
        yaml.push_str(&format!("    S{count}: {{type: string}}\n"));
        let spec = schemas(&yaml);
        let refs = Refs::new(&spec);
        assert!(matches!(
            refs.schemas
                .resolve_reference("#/components/schemas/S0")
                .err(),
            Some(RefError::TooLong(_))
        ));
        assert!(refs
            .schemas
            .resolve_reference("#/components/schemas/S5")
            .is_ok());
    }
}
