#include "identity/identity_service.h"
