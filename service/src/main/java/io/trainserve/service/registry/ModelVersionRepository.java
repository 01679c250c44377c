package io.trainserve.service.registry;

import org.springframework.data.jpa.repository.JpaRepository;

interface ModelVersionRepository extends JpaRepository<ModelVersionEntity, ModelVersionEntity.Key> {
}
