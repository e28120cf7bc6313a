//! The xtask's allocator settings. The generator is allocation-bound; mimalloc (the global
//! allocator of the `xtask` binary) makes a whole run a fifth faster than glibc's malloc.

/// `mi_option_purge_delay` in mimalloc's `mi_option_e` (v3, the version the crate builds): how
/// long freed memory stays committed before it is returned to the system (1,000 ms by default in
/// v3's `options.c`; the header's comment still says 10).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// How long freed memory stays committed in a generation run: long enough that a large
/// document's stages reuse what the previous one freed (returning it at once made openai ×4
/// spend 0.7 s in the kernel instead of 0.2 s), short enough that a small run's stages do not
/// pile up (nexus peaked at 24 MiB after 1 s, 19 MiB after 5 ms, 17 MiB at once).
const PURGE_DELAY_MS: std::ffi::c_long = 5;

/// Returns freed memory to the system after [`PURGE_DELAY_MS`] instead of mimalloc's second.
pub fn return_freed_memory_soon() {
    // SAFETY: options may be set at any time; the value is a delay in milliseconds.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_option_set_is_the_purge_delay() {
        // SAFETY: reading an option has no preconditions.
        let default = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        // v3's `options.c` gives the purge delay a default of 1,000 (ms), which no neighbouring
        // option has: another version's layout fails here rather than setting the wrong option.
        assert_eq!(
            default, 1000,
            "index {MI_OPTION_PURGE_DELAY} is not the purge delay"
        );
    }
}
