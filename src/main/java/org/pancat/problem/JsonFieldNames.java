package org.pancat.problem;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.hibernate.validator.ValidatorFactoryCustomizer;
import jakarta.inject.Singleton;
import java.lang.reflect.Field;
import org.hibernate.validator.BaseHibernateValidatorConfiguration;
import org.hibernate.validator.spi.nodenameprovider.JavaBeanProperty;
import org.hibernate.validator.spi.nodenameprovider.Property;
import org.hibernate.validator.spi.nodenameprovider.PropertyNodeNameProvider;

/**
 * Validation errors name fields as they are spelled in JSON ({@code sharing.class}), not as the
 * Java component is named.
 */
@Singleton
public class JsonFieldNames implements ValidatorFactoryCustomizer {
  @Override
  public void customize(BaseHibernateValidatorConfiguration<?> configuration) {
    configuration.propertyNodeNameProvider(new JsonNameProvider());
  }

  private static final class JsonNameProvider implements PropertyNodeNameProvider {
    @Override
    public String getName(Property property) {
      if (property instanceof JavaBeanProperty bean) {
        try {
          Field field = bean.getDeclaringClass().getDeclaredField(property.getName());
          JsonProperty json = field.getAnnotation(JsonProperty.class);
          if (json != null && !json.value().isEmpty()) {
            return json.value();
          }
        } catch (NoSuchFieldException e) {
          // a getter-only property keeps its Java name
        }
      }
      return property.getName();
    }
  }
}
