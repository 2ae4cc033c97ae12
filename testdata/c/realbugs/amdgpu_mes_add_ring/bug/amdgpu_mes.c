/*
 * Source: upstream bfaf1883605f "drm/amd/amdgpu: Fix double unlock in
 * amdgpu_mes_add_ring". Rebuilt: the ring-init failure releases the MES
 * lock and jumps to a clean-up label that releases it again.
 * Cause 1: the lock API is a pair of inline wrappers in a header
 * (amdgpu_mes.h), not a rule-pack function.
 */
#include "amdgpu_mes.h"

struct amdgpu_ring { int idx; int funcs; };
struct amdgpu_device { struct amdgpu_mes mes; };

void *idr_find(int *idr, int id);
void *kzalloc(unsigned long size, int flags);
void kfree(const void *p);
int amdgpu_ring_init(struct amdgpu_device *adev, struct amdgpu_ring *ring);

int mes_add_ring(struct amdgpu_device *adev, int gang_id, int idx, struct amdgpu_ring **out)
{
	struct amdgpu_ring *ring;
	void *gang;
	int r;

	amdgpu_mes_lock(&adev->mes);
	gang = idr_find(&adev->mes.gang_ids, gang_id);
	if (!gang) {
		amdgpu_mes_unlock(&adev->mes);
		return -22;
	}
	ring = kzalloc(sizeof(*ring), 0);
	if (!ring) {
		amdgpu_mes_unlock(&adev->mes);
		return -12;
	}
	ring->idx = idx;
	r = amdgpu_ring_init(adev, ring);
	if (r) {
		amdgpu_mes_unlock(&adev->mes);
		goto clean_up_memory;
	}
	*out = ring;
	amdgpu_mes_unlock(&adev->mes);
	return 0;

clean_up_memory:
	kfree(ring);
	amdgpu_mes_unlock(&adev->mes); /* want "lockpair/unheld-release: amdgpu_mes_unlock(&adev->mes) releases" */
	return r;
}
