//! What a child process (the real `keyholder` binary) used: its peak memory and CPU time,
//! for the benchmarks that run the binary as a user does; and this process's own CPU time.

#![allow(dead_code, reason = "each benchmark uses part of it")]

/// How a child ended and what it used.
pub struct Usage {
    pub success: bool,
    /// Peak resident memory, MiB.
    pub peak_mib: f64,
    /// User and system CPU time, seconds.
    pub cpu_s: f64,
}

/// Waits for the child and reads what it used.
#[cfg(unix)]
#[expect(
    unsafe_code,
    reason = "wait4 is the only way to read a child's peak memory and CPU time"
)]
pub fn wait_with_usage(child: &mut std::process::Child) -> Usage {
    let pid = libc::pid_t::try_from(child.id()).expect("pid");
    let mut status = 0;
    // SAFETY: wait4 only writes into the two values we pass; the child is ours.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &raw mut status, 0, &raw mut usage) };
    assert_eq!(waited, pid, "wait4 failed");
    let max_rss = usage.ru_maxrss as f64;
    // Linux reports KiB, macOS bytes.
    let peak_mib = if cfg!(target_os = "macos") {
        max_rss / 1_048_576.0
    } else {
        max_rss / 1024.0
    };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Usage {
        success: libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        peak_mib,
        cpu_s: seconds(usage.ru_utime) + seconds(usage.ru_stime),
    }
}

/// Without `wait4`: the wall time stands for the CPU time, and memory is not known.
#[cfg(not(unix))]
pub fn wait_with_usage(child: &mut std::process::Child) -> Usage {
    let started = std::time::Instant::now();
    let status = child.wait().expect("wait");
    Usage {
        success: status.success(),
        peak_mib: 0.0,
        cpu_s: started.elapsed().as_secs_f64(),
    }
}

/// CPU time of this process so far (all threads): on a shared machine it moves less than
/// the wall clock.
#[cfg(unix)]
#[expect(
    unsafe_code,
    reason = "getrusage is the only way to read this process's CPU time"
)]
pub fn own_cpu_time() -> std::time::Duration {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: RUSAGE_SELF with a valid pointer.
    let status = unsafe { libc::getrusage(libc::RUSAGE_SELF, &raw mut usage) };
    if status != 0 {
        return std::time::Duration::ZERO;
    }
    let micros = |t: libc::timeval| {
        u64::try_from(t.tv_sec).unwrap_or(0) * 1_000_000 + u64::try_from(t.tv_usec).unwrap_or(0)
    };
    std::time::Duration::from_micros(micros(usage.ru_utime) + micros(usage.ru_stime))
}

/// Without `getrusage`: not known.
#[cfg(not(unix))]
pub fn own_cpu_time() -> std::time::Duration {
    std::time::Duration::ZERO
}
