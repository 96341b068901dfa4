package tributary.testenv;

import io.apicurio.common.apps.config.DynamicConfigPropertyList;
import java.util.List;
import javax.enterprise.inject.Produces;
import javax.inject.Singleton;

/**
 * The bean the apicurio-common-app-components-config-index extension would produce at build time
 * (its -deployment artifact is not on Maven Central): the list of dynamic configuration
 * properties. Empty: the tests set no dynamic properties, only the ccompat API's config.
 */
public class DynamicConfigPropertiesProducer {
  @Produces
  @Singleton
  DynamicConfigPropertyList dynamicConfigPropertyList() {
    return new DynamicConfigPropertyList(List.of());
  }
}
