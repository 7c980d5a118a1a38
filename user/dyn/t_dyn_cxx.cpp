// t_dyn_cxx - a C++ program built as riscv64-linux-gnu-g++ builds by default (PIE, linked
// against libstdc++.so.6, libgcc_s.so.1, libm and libc): iostream, std::thread, an exception
// thrown through a frame and caught (libgcc_s's unwinder over dynamically loaded code),
// std::string and a virtual call. Prints PASS/FAIL lines and a summary as the C tests do.
#include <atomic>
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>
#include <link.h>
#include <sys/auxv.h>

static int npass, nfail;

static void check(bool ok, const std::string &what)
{
	std::cout << (ok ? "PASS: " : "FAIL: ") << what << std::endl;
	(ok ? npass : nfail)++;
}

struct shape {
	virtual ~shape() = default;
	virtual int sides() const = 0;
};
struct square : shape {
	int sides() const override { return 4; }
};

[[gnu::noinline]] static int thrower(int depth)
{
	if (depth == 0)
		throw std::runtime_error("deep");
	return thrower(depth - 1) + 1;
}

int main()
{
	std::ostringstream os;
	os << "x=" << 42 << ' ' << 1.5;
	check(os.str() == "x=42 1.5", "iostream formatting (" + os.str() + ")");
	check(getauxval(AT_BASE) != 0, "AT_BASE set: started by ld.so");

	std::atomic<long> sum{0};
	std::vector<std::thread> ts;
	for (int t = 0; t < 4; t++)
		ts.emplace_back([&sum, t] {
			for (int i = 0; i < 1000; i++)
				sum += t;
		});
	for (auto &t : ts)
		t.join();
	check(sum == 6000, "4 std::threads add up to 6000 (" + std::to_string(sum) + ")");

	std::string caught;
	try {
		thrower(10);
	} catch (const std::exception &e) {
		caught = e.what();
	}
	check(caught == "deep", "an exception thrown 10 frames down is caught");

	std::unique_ptr<shape> s(new square);
	check(s->sides() == 4 && dynamic_cast<square *>(s.get()), "virtual call and dynamic_cast");

	std::cout << "t_dyn_cxx: " << npass << " checks ok, " << nfail << " failed" << std::endl;
	return nfail ? 1 : 0;
}
