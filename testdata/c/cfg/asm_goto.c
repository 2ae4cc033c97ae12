/* asm goto: edges to the labels and a fall-through. */
static bool branch(int x)
{
	asm goto("jmp %l[yes]" : : "r" (x) : : yes);
	return false;
yes:
	return true;
}
