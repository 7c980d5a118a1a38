/*
 * omp.c - an OpenMP program (gcc -fopenmp): it needs libgomp.so.1, which the initramfs does
 * not carry, so scripts/run-qemu --add must find it in the cross sysroot. Exits 0 when the
 * parallel sum over 4 threads is right.
 */
#include <omp.h>
#include <stdio.h>

int main(void)
{
	long sum = 0;

#pragma omp parallel for num_threads(4) reduction(+ : sum)
	for (int i = 1; i <= 1000; i++)
		sum += i;
	printf("omp: %d threads available, sum %ld\n", omp_get_max_threads(), sum);
	return sum == 500500 ? 0 : 1;
}
