// Linked into the test binaries of ThreadSanitizer builds only (-DTRIBUTARY_TSAN=ON).
//
// Debian's librdkafka starts its threads with C11 thrd_create, which glibc implements by calling
// its internal pthread_create, past ThreadSanitizer's interceptor: TSan then knows nothing of
// those threads and its allocator crashes in their first malloc. These definitions, exported by
// the executable, win the dynamic symbol lookup over glibc's: threads start through the public
// (intercepted) pthread_create, and are joined and detached through pthread_join/_detach, so TSan
// sees each thread's whole life (a join it missed would leave the thread "live" and a later
// thread with the same id would trip its registry). thrd_t is pthread_t in glibc, and thrd_exit
// converts the int result through the void* exactly as done here.
#include <pthread.h>
#include <threads.h>

#include <cstdint>
#include <new>

namespace {
struct Start {
  thrd_start_t fn;
  void* arg;
};

void* trampoline(void* p) {
  Start s = *static_cast<Start*>(p);
  delete static_cast<Start*>(p);
  return reinterpret_cast<void*>(static_cast<std::intptr_t>(s.fn(s.arg)));
}
}  // namespace

extern "C" int thrd_create(thrd_t* thr, thrd_start_t fn, void* arg) {
  auto* s = new (std::nothrow) Start{fn, arg};
  if (s == nullptr) return thrd_nomem;
  pthread_t t;
  if (pthread_create(&t, nullptr, trampoline, s) != 0) {
    delete s;
    return thrd_error;
  }
  *thr = t;
  return thrd_success;
}

extern "C" int thrd_join(thrd_t thr, int* res) {
  void* out = nullptr;
  if (pthread_join(thr, &out) != 0) return thrd_error;
  if (res != nullptr) *res = static_cast<int>(reinterpret_cast<std::intptr_t>(out));
  return thrd_success;
}

extern "C" int thrd_detach(thrd_t thr) {
  return pthread_detach(thr) == 0 ? thrd_success : thrd_error;
}
