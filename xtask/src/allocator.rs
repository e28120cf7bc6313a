//! The xtask's allocator settings. The generator is allocation-bound; mimalloc (the global
//! allocator of the `xtask` binary) makes a whole run a fifth faster than glibc's malloc.

/// `mi_option_purge_delay` in mimalloc's `mi_option_e` (v3, the version the crate builds): how
/// long freed memory stays committed before it is returned to the system (1,000 ms by default in
/// v3's `options.c`; the header's comment still says 10).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Returns freed memory to the system at once instead of after a second: a generation run frees
/// its syntax trees and the document's value stage by stage, and the delay let them pile up
/// (nexus peaked at 24 MiB with it and 17 MiB without, in the same time).
pub fn return_freed_memory_at_once() {
    // SAFETY: options may be set at any time; 0 is the documented "purge immediately".
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
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
