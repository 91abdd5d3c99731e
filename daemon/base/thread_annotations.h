// Clang thread-safety annotations (-Wthread-safety). They expand to nothing
// on other compilers, so gcc builds are unaffected.
#ifndef TELEMED_BASE_THREAD_ANNOTATIONS_H_
#define TELEMED_BASE_THREAD_ANNOTATIONS_H_

#if defined(__clang__)
#define TELEMED_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define TELEMED_THREAD_ANNOTATION(x)
#endif

#define CAPABILITY(x) TELEMED_THREAD_ANNOTATION(capability(x))
#define SCOPED_CAPABILITY TELEMED_THREAD_ANNOTATION(scoped_lockable)
#define GUARDED_BY(x) TELEMED_THREAD_ANNOTATION(guarded_by(x))
#define PT_GUARDED_BY(x) TELEMED_THREAD_ANNOTATION(pt_guarded_by(x))
#define REQUIRES(...) \
  TELEMED_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define EXCLUDES(...) TELEMED_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define ACQUIRE(...) TELEMED_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define RELEASE(...) TELEMED_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define NO_THREAD_SAFETY_ANALYSIS \
  TELEMED_THREAD_ANNOTATION(no_thread_safety_analysis)

#endif  // TELEMED_BASE_THREAD_ANNOTATIONS_H_
