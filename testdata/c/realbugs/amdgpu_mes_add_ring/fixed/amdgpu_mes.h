/* Reduced from drivers/gpu/drm/amd/amdgpu/amdgpu_mes.h: the MES lock helpers. */
struct mutex { int x; };
struct amdgpu_mes { struct mutex mutex_hidden; unsigned int saved_flags; int gang_ids; };

unsigned int memalloc_noreclaim_save(void);
void memalloc_noreclaim_restore(unsigned int flags);

static inline void amdgpu_mes_lock(struct amdgpu_mes *mes)
{
	mutex_lock(&mes->mutex_hidden);
	mes->saved_flags = memalloc_noreclaim_save();
}

static inline void amdgpu_mes_unlock(struct amdgpu_mes *mes)
{
	memalloc_noreclaim_restore(mes->saved_flags);
	mutex_unlock(&mes->mutex_hidden);
}
