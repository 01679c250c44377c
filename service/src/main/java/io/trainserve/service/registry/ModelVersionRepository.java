package io.trainserve.service.registry;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

interface ModelVersionRepository extends JpaRepository<ModelVersionEntity, ModelVersionEntity.Key> {
    List<ModelVersionEntity> findByModelIdOrderByVersionAsc(String modelId);
}
