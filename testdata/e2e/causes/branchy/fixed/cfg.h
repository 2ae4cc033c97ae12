struct mutex { int x; };
struct attr { int bad; int f0; int f1; int f2; int f3; int f4; int f5; int f6; int f7; int f8; int f9; int f10; int f11; int f12; int f13; };
struct cfg { struct mutex lock; unsigned long dirty; int v0; int v1; int v2; int v3; int v4; int v5; int v6; int v7; int v8; int v9; int v10; int v11; int v12; int v13; };

void cfg_lock(struct cfg *c);
void cfg_unlock(struct cfg *c);
