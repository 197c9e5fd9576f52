/**
 * Category codes and brands of an electronics store, in the reference data's style
 * (dotted lowercase paths, lowercase brand names). Several category ids may share a code,
 * as in the real file.
 */
export const CATEGORY_CODES = [
  "electronics.telephone", "electronics.smartphone", "electronics.tablet", "electronics.clocks",
  "electronics.audio.headphone", "electronics.audio.acoustic", "electronics.audio.subwoofer",
  "electronics.audio.microphone", "electronics.audio.amplifier", "electronics.video.tv",
  "electronics.video.projector", "electronics.camera.photo", "electronics.camera.video",
  "computers.notebook", "computers.desktop", "computers.ebooks",
  "computers.components.videocards", "computers.components.cpu", "computers.components.motherboard",
  "computers.components.memory", "computers.components.hdd", "computers.components.power_supply",
  "computers.components.cooler", "computers.components.sound_card", "computers.components.cdrw",
  "computers.components.tv_tuner", "computers.peripherals.mouse", "computers.peripherals.keyboard",
  "computers.peripherals.monitor", "computers.peripherals.printer", "computers.peripherals.camera",
  "computers.peripherals.scanner", "computers.peripherals.joystick", "computers.network.router",
  "computers.gaming", "appliances.kitchen.kettle", "appliances.kitchen.blender",
  "appliances.kitchen.microwave", "appliances.kitchen.toster", "appliances.kitchen.coffee_machine",
  "appliances.environment.vacuum", "appliances.environment.air_heater", "appliances.environment.fan",
  "appliances.personal.scales", "appliances.personal.hair_cutter", "appliances.iron",
  "auto.accessories.player", "auto.accessories.videoregister", "auto.accessories.radar",
  "auto.accessories.alarm", "stationery.cartrige", "stationery.battery", "furniture.office.chair",
  "construction.tools.drill", "construction.tools.light", "sport.bicycle", "kids.toys",
  "country_yard.lawn_mower", "accessories.bag", "medicine.tools.tonometer",
] as const;

export const BRANDS = [
  "samsung", "apple", "xiaomi", "huawei", "sony", "lg", "asus", "lenovo", "acer", "hp", "dell",
  "msi", "gigabyte", "palit", "kingston", "seagate", "western digital", "toshiba", "canon",
  "nikon", "epson", "brother", "logitech", "a4tech", "defender", "sven", "genius", "razer",
  "steelseries", "tp-link", "d-link", "zyxel", "netgear", "jbl", "sennheiser", "philips",
  "panasonic", "bosch", "tefal", "braun", "polaris", "vitek", "scarlett", "redmond", "moulinex",
  "kenwood", "delonghi", "rowenta", "intel", "amd", "corsair", "crucial", "transcend",
  "sandisk", "zalman", "deepcool", "thermaltake", "aerocool", "chieftec", "fsp", "be quiet",
  "benq", "aoc", "viewsonic", "iiyama", "garmin", "prestigio", "digma", "texet", "ritmix",
  "pioneer", "kenwood audio", "alpine", "hama", "belkin", "cbr", "oklick", "ginzzu", "gembird",
  "hoco",
] as const;
