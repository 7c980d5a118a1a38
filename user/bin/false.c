/* false - do nothing, unsuccessfully. */

/* main - exit with status 1. */
int main(void)
{
	return 1;
}
